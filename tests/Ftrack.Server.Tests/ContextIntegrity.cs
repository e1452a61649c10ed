using System.Text.Json.Nodes;

namespace Ftrack.Server.Tests;

/// <summary>
/// Checks, through queries only, that the context tree a server answers is whole: every
/// context but a project has an existing parent; a project has none and is its own project;
/// everything else is in the project at the top of its parent chain; link and ancestors are
/// exactly that chain (so the closure table agrees with parent_id).
/// </summary>
internal static class ContextIntegrity
{
    public static async Task AssertConsistentAsync(TestServer server)
    {
        var contexts = await server.QueryExpandedAsync("select id, parent_id, project_id, context_type, link, ancestors.id from Context");
        var byId = contexts.ToDictionary(c => (string)c!["id"]!, c => c!.AsObject());
        foreach (var (id, context) in byId)
        {
            var parent = (string?)context["parent_id"];
            var chain = new List<string> { id };
            for (var at = parent; at != null; at = (string?)byId[at]["parent_id"])
            {
                Assert.True(byId.ContainsKey(at), $"context {id} hangs below {at}, which does not exist");
                Assert.True(chain.Count < byId.Count, $"context {id} is in a parent cycle");
                chain.Insert(0, at);
            }
            var root = byId[chain[0]];
            Assert.True((string)root["context_type"]! == "show", $"context {id} hangs below {chain[0]}, which is not a project");
            Assert.True((string?)context["project_id"] == chain[0], $"context {id} says project {context["project_id"]}, its parents say {chain[0]}");
            Assert.Equal(chain, context["link"]!.AsArray().Select(l => (string)l!["id"]!).ToList());
            if ((string)context["context_type"]! == "show")
                continue;
            var ancestors = context["ancestors"]!.AsArray().Select(a => (string)a!["id"]!).Order().ToList();
            Assert.Equal(chain.Skip(1).SkipLast(1).Order().ToList(), ancestors);
        }
    }
}
