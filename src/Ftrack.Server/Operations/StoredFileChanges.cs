using System.Collections.Generic;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// What a request does to stored component files beside its database writes, kept in step with
/// its transaction: files it wrote (encode_media's review copies) are deleted if the transaction
/// rolls back; files of components it deleted go only once it has committed.
/// </summary>
internal sealed class StoredFileChanges
{
    private readonly ComponentStore? _store;
    private readonly List<string> _written = new();
    private readonly HashSet<string> _removeOnCommit = new();

    public StoredFileChanges(ComponentStore? store) => _store = store;

    /// <summary>A file was written for this component id: undone on rollback.</summary>
    public void Written(string componentId) => _written.Add(componentId);

    /// <summary>These components were deleted: their files go when the transaction commits.</summary>
    public void Deleted(IEnumerable<string> componentIds) => _removeOnCommit.UnionWith(componentIds);

    public void Committed()
    {
        foreach (var id in _removeOnCommit)
            _store?.Remove(id);
    }

    public void RolledBack()
    {
        foreach (var id in _written)
            _store?.Remove(id);
    }
}
