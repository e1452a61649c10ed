// Placeholder entry point; the server is built in src/Ftrack.Server.
return 0;
