# Dot-sourced by Run-Bench.ps1 and its child scripts: what every measurement shares, so the
# figures are about the same query and the same connection as the official client's timing script.

# The query every figure is about: the one ../shared/bench/ftrack-stub/bench-js.mjs sends.
$BenchTaskQuery = 'select id, name, description, bid, start_date, end_date, created_at, status.name, status.color, type.name, priority.name, parent.name, parent.parent.name, project.name from Task'

function Use-BenchSchemaCache {
    <# A schema cache of this process's own (fresh: the first Connect fills it), so runs never share one. #>
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) "ftrack-bench-cache-$PID"
    if (Test-Path $env:FTRACK_SCHEMA_CACHE) { Remove-Item $env:FTRACK_SCHEMA_CACHE -Recurse -Force }
}

function Remove-BenchSchemaCache {
    Remove-Item $env:FTRACK_SCHEMA_CACHE -Recurse -Force -ErrorAction SilentlyContinue
}

function Get-BenchStubCredential {
    <# The stub's fixed API user and key (../shared/bench/ftrack-stub/README.md). #>
    [pscredential]::new('bench-user', (ConvertTo-SecureString 'bench-api-key' -AsPlainText -Force))
}
