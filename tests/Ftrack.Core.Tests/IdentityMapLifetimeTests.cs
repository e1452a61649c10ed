using System.Runtime.CompilerServices;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Tests.Support;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// The identity map keeps an entity as one object while anyone holds it, and lets go of what
/// nobody holds (issue #17: a streamed query's memory stays flat however many rows pass).
/// </summary>
public class IdentityMapLifetimeTests
{
    private static string Page(int from, int count, bool withShared) =>
        Decode.QueryBody(string.Join(",", Enumerable.Range(from, count).Select(i =>
            "{\"__entity_type__\":\"Task\",\"id\":\"t" + i + "\",\"name\":\"Task " + i + "\"" +
            (withShared ? ",\"status\":{\"__entity_type__\":\"Status\",\"id\":\"s1\",\"name\":\"Shared\"}" : "") + "}")));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DecodeAndDrop(DecodeContext context, int from, int count) => Decode.QueryRows(Page(from, count, withShared: false), context);

    private static void CollectEverything()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    [Fact]
    public void Rows_nobody_holds_are_let_go_as_pages_pass()
    {
        var context = new DecodeContext(DateTimeKind.Utc);
        for (var page = 0; page < 40; page++) DecodeAndDrop(context, page * 1000, 1000);
        CollectEverything();
        // 40,000 decoded; at most the block being filled (and one retired just before) is left.
        Assert.InRange(context.IdentityMap.Count, 0, 2 * IdentityMap.BlockSize);
    }

    [Fact]
    public void An_entity_someone_holds_stays_the_one_object_for_its_key()
    {
        var context = new DecodeContext(DateTimeKind.Utc);
        var held = (FtrackEntity)Decode.QueryRows(Page(0, 1, withShared: true), context)[0]!;
        var status = held.GetValue("status");
        // Many pages later, with everything else let go, the same keys decode to the same objects.
        for (var page = 1; page <= 20; page++) DecodeAndDrop(context, page * 1000, 1000);
        CollectEverything();
        var again = Decode.QueryRows(Page(0, 1, withShared: true), context);
        Assert.Same(held, again[0]);
        Assert.Same(status, ((FtrackEntity)again[0]!).GetValue("status"));
    }

    [Fact]
    public void Entities_decoded_with_one_that_is_held_stay_with_it()
    {
        var context = new DecodeContext(DateTimeKind.Utc);
        var rows = Decode.QueryRows(Page(0, 10, withShared: false), context);
        var held = rows[3];
        var weakNeighbour = new WeakReference(rows[4]);
        rows = null;
        CollectEverything();
        // A neighbour of the same block lives as long as the held one: the block is the unit.
        Assert.True(weakNeighbour.IsAlive);
        Assert.True(context.IdentityMap.TryGet(((FtrackEntity)held!).Shape, "t3", out var mapped));
        Assert.Same(held, mapped);
    }
}
