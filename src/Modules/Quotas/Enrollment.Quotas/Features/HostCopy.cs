namespace Enrollment.Quotas.Features;

/// <summary>
/// What the per-host copies (ADR 0203, 0204) share: a snapshot kept for at most its lifetime and read again as soon as
/// the process-wide count of edits of its kind (<see cref="Edited"/>, one count per snapshot type) moved. The count is
/// read before the rows, so an edit saved while they are read makes the next call read again.
/// </summary>
/// <remarks>
/// One read at a time: callers that find the copy out of date while a read of the same edit count is in flight (begun
/// within the lifetime) wait for that read instead of starting their own. On the opening morning every expiry found
/// ≈ 10–30 submits at once, and each read the campaign's whole program list (≈ 2 % of the host's CPU). A caller whose
/// shared read failed (e.g. the request that began it was cancelled) reads for itself.
/// </remarks>
internal sealed class HostCopy<TSnapshot>(double? lifetimeSeconds)
    where TSnapshot : class
{
    private static long s_edits;
    private readonly long _ttlMs = (long)((lifetimeSeconds ?? 1.0) * 1000);
    private Entry? _entry;
    private Loading? _loading;

    /// <summary>Drops every copy of this kind in the process (a save through this process changed what it holds).</summary>
    public static void Edited() => Interlocked.Increment(ref s_edits);

    /// <summary>The kept snapshot if it is fresh, unedited and <paramref name="fits"/> the question; otherwise a new one from <paramref name="load"/>.</summary>
    public async Task<TSnapshot> GetAsync(Func<TSnapshot, bool> fits, Func<Task<TSnapshot>> load)
    {
        var edits = Interlocked.Read(ref s_edits);
        var entry = Volatile.Read(ref _entry);
        if (entry is not null && Fresh(entry.Edits, entry.LoadedAt, edits) && fits(entry.Snapshot))
        {
            return entry.Snapshot;
        }

        var loading = Volatile.Read(ref _loading);
        if (loading is not null && Fresh(loading.Edits, loading.StartedAt, edits))
        {
            try
            {
                var shared = await loading.Read;
                if (fits(shared.Snapshot))
                {
                    return shared.Snapshot;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // The sharer's read failed; this caller reads for itself below (and sees its own error, if any).
            }
        }

        var mine = new Loading(edits, Environment.TickCount64, ReadAsync(edits, load));
        Volatile.Write(ref _loading, mine);
        return (await mine.Read).Snapshot;
    }

    /// <summary>Reads made so far (for tests).</summary>
    internal int Reads => Volatile.Read(ref _reads);

    private int _reads;

    private bool Fresh(long entryEdits, long since, long edits) => entryEdits == edits && Environment.TickCount64 - since < _ttlMs;

    private async Task<Entry> ReadAsync(long edits, Func<Task<TSnapshot>> load)
    {
        Interlocked.Increment(ref _reads);
        var startedAt = Environment.TickCount64;
        var entry = new Entry(edits, startedAt, await load());
        Volatile.Write(ref _entry, entry);
        return entry;
    }

    private sealed record Entry(long Edits, long LoadedAt, TSnapshot Snapshot);

    private sealed record Loading(long Edits, long StartedAt, Task<Entry> Read);
}
