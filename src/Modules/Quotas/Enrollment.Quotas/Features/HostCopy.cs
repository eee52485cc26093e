namespace Enrollment.Quotas.Features;

/// <summary>
/// What the per-host copies (ADR 0203, 0204) share: a snapshot kept for at most its lifetime and read again as soon as
/// the process-wide count of edits of its kind (<see cref="Edited"/>, one count per snapshot type) moved. The count is
/// read before the rows, so an edit saved while they are read makes the next call read again.
/// </summary>
internal sealed class HostCopy<TSnapshot>(double? lifetimeSeconds)
    where TSnapshot : class
{
    private static long s_edits;
    private readonly long _ttlMs = (long)((lifetimeSeconds ?? 1.0) * 1000);
    private Entry? _entry;

    /// <summary>Drops every copy of this kind in the process (a save through this process changed what it holds).</summary>
    public static void Edited() => Interlocked.Increment(ref s_edits);

    /// <summary>The kept snapshot if it is fresh, unedited and <paramref name="fits"/> the question; otherwise a new one from <paramref name="load"/>.</summary>
    public async Task<TSnapshot> GetAsync(Func<TSnapshot, bool> fits, Func<Task<TSnapshot>> load)
    {
        var edits = Interlocked.Read(ref s_edits);
        var entry = Volatile.Read(ref _entry);
        if (entry is not null && entry.Edits == edits && Environment.TickCount64 - entry.LoadedAt < _ttlMs && fits(entry.Snapshot))
        {
            return entry.Snapshot;
        }

        var loadedAt = Environment.TickCount64;
        entry = new Entry(edits, loadedAt, await load());
        Volatile.Write(ref _entry, entry);
        return entry.Snapshot;
    }

    private sealed record Entry(long Edits, long LoadedAt, TSnapshot Snapshot);
}
