using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Registry.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Notifications.Tests;

/// <summary>The batched inbox (one committed batch of submits, one insert) and the batched delivery (one look-up per batch, grouped saves).</summary>
public sealed class BatchTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    private List<ApplicationStatusChanged> MixedChanges(Harness h)
    {
        var changes = new List<ApplicationStatusChanged>();
        foreach (var (to, reason) in new (ApplicationStatus, string?)[]
                 {
                     (ApplicationStatus.Submitted, null), (ApplicationStatus.Draft, null), (ApplicationStatus.NeedsCorrection, "Birth certificate number differs"),
                     (ApplicationStatus.Waitlisted, null), (ApplicationStatus.Enrolled, null), (ApplicationStatus.Rejected, "NOT_ELIGIBLE"),
                     (ApplicationStatus.Cancelled, null), (ApplicationStatus.Submitted, null),
                 })
        {
            changes.Add(h.StatusChanged(h.Application(), to, reason));
        }

        return changes;
    }

    private static async Task<List<string>> Recorded(Harness h)
    {
        await using var db = h.Db();
        return [.. (await db.Events.AsNoTracking().ToListAsync())
            .Select(e => $"{e.Key}|{e.ApplicationId}|{e.Kind}|{e.CampaignId}|{e.SchoolCode}|{e.Language}|{e.Deadline:O}|{e.Reason}|{e.Decision}|{e.OccurredAt:O}|{e.ReceivedAt:O}|{e.Status}")
            .Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Batch_of_status_changes_records_the_same_events_as_the_singles_would()
    {
        var changes = MixedChanges(_h);
        using var singles = new Harness();
        foreach (var change in changes)
        {
            await singles.Publish(change);
        }

        await _h.Publish(new ApplicationStatusesChanged(changes));

        var recorded = await Recorded(_h);
        Assert.Equal(5, recorded.Count); // two submits, a correction, an enrolment and a rejection; draft, waitlist and cancel do not notify
        Assert.Equal(await Recorded(singles), recorded);
    }

    [Fact]
    public async Task Batch_mixing_kinds_records_each_notifying_change_with_its_kind_and_reason()
    {
        var changes = MixedChanges(_h);

        await _h.Publish(new ApplicationStatusesChanged(changes));

        await using var db = _h.Db();
        var events = await db.Events.AsNoTracking().ToListAsync();
        string Of(ApplicationStatusChanged c) => string.Join(",", events.Where(e => e.Key == "status:" + c.HistoryId.ToString("N")).Select(e => $"{e.Kind}:{e.Reason}"));
        Assert.Equal(["Submitted:", "", "NeedsCorrection:Birth certificate number differs", "", "Enrolled:", "Rejected:NOT_ELIGIBLE", "", "Submitted:"],
            changes.Select(Of));
    }

    [Fact]
    public async Task Replayed_batch_records_nothing_twice()
    {
        var changes = MixedChanges(_h);
        await _h.Publish(changes[0]); // one change was already received alone
        await _h.Publish(new ApplicationStatusesChanged(changes));
        var first = await Recorded(_h);

        await _h.Publish(new ApplicationStatusesChanged(changes));
        await _h.Publish(new ApplicationStatusesChanged([.. changes, .. changes])); // a change twice in one list
        await _h.Publish(changes[4]);

        Assert.Equal(first, await Recorded(_h));
        Assert.Equal(5, first.Count);
        await _h.Deliver();
        Assert.Equal(15, (await _h.Messages()).Count); // five events × three channels, once each
    }

    [Fact]
    public async Task Empty_batch_records_nothing()
    {
        await _h.Publish(new ApplicationStatusesChanged([]));
        await _h.Publish(new ApplicationStatusesChanged([_h.StatusChanged(_h.Application(), ApplicationStatus.Draft)]));

        Assert.Empty(await Recorded(_h));
    }

    [Fact]
    public async Task Delivery_reads_recipients_and_scopes_once_per_batch_of_events()
    {
        await _h.Publish(new ApplicationStatusesChanged([.. Enumerable.Range(0, 12).Select(_ => _h.StatusChanged(_h.Application(), ApplicationStatus.Submitted))]));
        var noContact = _h.Application(email: null, secondary: null, phone: null);
        await _h.Publish(_h.StatusChanged(noContact, ApplicationStatus.Submitted));

        Assert.Equal(new DeliveryReport(12, 36, 0, 0), await _h.Deliver());

        Assert.Equal(2, _h.Directory.Lookups); // one recipients read, one scopes read — not two per event
        var messages = await _h.Messages();
        Assert.All(messages, m => Assert.Equal((MessageStatus.Sent, ",D1,"), (m.Status, m.DistrictCodes)));
        await using var db = _h.Db();
        Assert.Equal(EventStatus.NoRecipient, (await db.Events.SingleAsync(e => e.ApplicationId == noContact)).Status);
    }

    [Fact]
    public async Task A_run_over_a_backlog_does_not_send_one_query_parameter_per_event_it_already_expanded()
    {
        // Excluding every event the run had seen made each batch's query carry one parameter per earlier event: quadratic
        // on the opening morning's backlog and, past SQLite's 32,766 parameters, a failing query.
        using var h = new Harness(new Dictionary<string, string?> { ["Notifications:BatchSize"] = "5" });
        await h.Publish(new ApplicationStatusesChanged([.. Enumerable.Range(0, 40).Select(_ => h.StatusChanged(h.Application(), ApplicationStatus.Submitted))]));
        var pendingQuery = new LargestParameterList("FROM \"notifications_events\"");
        h.Interceptors.Add(pendingQuery); // observes the delivery run only (the inbox's key check carries one key per event)

        var report = await h.Deliver();

        Assert.Equal((40, 120), (report.Expanded, report.Sent));
        Assert.InRange(pendingQuery.Largest, 1, 3);
    }

    [Fact]
    public async Task By_default_a_delivery_batch_expands_at_most_one_hundred_events_so_it_holds_the_write_lock_briefly()
    {
        // On SQLite every write of the host shares one lock: a 500-event expansion (≈ 1,000 message rows) was one long
        // transaction the submit queue waited behind on the opening morning (ADR 0906).
        using var h = new Harness();
        await h.Publish(new ApplicationStatusesChanged([.. Enumerable.Range(0, 250).Select(_ => h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted))]));
        var expansions = new StatementCounter("UPDATE \"notifications_events\"");
        h.Interceptors.Add(expansions);

        var report = await h.Deliver();

        Assert.Equal(new DeliveryReport(250, 250, 0, 0), report);
        Assert.Equal(3, expansions.Count); // 100 + 100 + 50
    }

    [Theory]
    [InlineData(false, "0,1,2,3")] // SMTP-like: each status is saved before the next send
    [InlineData(true, "0,0,0,0")] // file or SMS gateway: the statuses of a group are saved together
    public async Task Statuses_are_saved_one_by_one_unless_a_repeat_is_harmless(bool repeatIsHarmless, string sentInTheDatabaseAtEachSend)
    {
        var observer = new ObservingTransport(repeatIsHarmless);
        using var h = new Harness(configure: s => s.AddKeyedSingleton<INotificationTransport>("File", observer));
        observer.Harness = h;
        for (var i = 0; i < 4; i++)
        {
            await h.Publish(h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted));
        }

        await h.Deliver();

        Assert.Equal(sentInTheDatabaseAtEachSend, string.Join(",", observer.SentBefore));
        Assert.All(await h.Messages(), m => Assert.Equal(MessageStatus.Sent, m.Status));
    }

    [Fact]
    public async Task Messages_handed_to_a_transport_where_a_repeat_is_harmless_are_marked_sent_with_one_statement_per_group()
    {
        // One tracked UPDATE per message was ≈ 5 % of the host's CPU on the opening morning (ADR 0503).
        using var h = new Harness();
        var updates = await TwelveSubmittedEmailsCountingAsync(h, "UPDATE \"notifications_messages\"");

        Assert.Equal(new DeliveryReport(12, 12, 0, 0), await h.Deliver());

        Assert.Equal(1, updates.Count);
        var messages = await h.Messages();
        Assert.Equal(12, messages.Count);
        Assert.All(messages, m => Assert.Equal((MessageStatus.Sent, 1, true, true), (m.Status, m.Attempts, m.SentAt is not null, m.LastAttemptAt == m.SentAt)));
    }

    [Fact]
    public async Task An_expansion_batch_marks_its_events_expanded_with_one_statement_together_with_their_messages()
    {
        using var h = new Harness();
        var updates = await TwelveSubmittedEmailsCountingAsync(h, "UPDATE \"notifications_events\"");

        Assert.Equal(12, (await h.Deliver()).Expanded);

        Assert.Equal(1, updates.Count);
        await using var db = h.Db();
        var events = await db.Events.ToListAsync();
        Assert.All(events, e => Assert.Equal((EventStatus.Expanded, true), (e.Status, e.ExpandedAt is not null)));
        Assert.Equal(events.Select(e => e.Id).Order(), (await h.Messages()).Select(m => m.EventId).Order());
    }

    [Fact]
    public async Task Crash_before_a_group_is_saved_repeats_those_file_messages_into_the_same_files()
    {
        using var crash = new CancellationTokenSource();
        var crashing = new CrashingTransport(crash, after: 2, repeatIsHarmless: true, inner: null);
        using var h = new Harness(configure: s => s.AddKeyedSingleton<INotificationTransport>("File", (sp, _) =>
        {
            crashing.Inner = new FileTransport(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationsOptions>>());
            return crashing;
        }));
        for (var i = 0; i < 4; i++)
        {
            await h.Publish(h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted));
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Deliver(crash.Token));
        Assert.All(await h.Messages(), m => Assert.Equal(MessageStatus.Pending, m.Status)); // the group's statuses were not saved
        Assert.Equal(2, Directory.GetFiles(h.OutboxDirectory, "*.eml").Length);

        await h.Deliver();

        var messages = await h.Messages();
        Assert.All(messages, m => Assert.Equal((MessageStatus.Sent, 1), (m.Status, m.Attempts)));
        Assert.Equal(messages.Select(m => FileTransport.FileName(m)).Order(), Directory.GetFiles(h.OutboxDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Crash_never_repeats_a_message_through_a_transport_that_must_not_see_it_twice()
    {
        using var crash = new CancellationTokenSource();
        var crashing = new CrashingTransport(crash, after: 2, repeatIsHarmless: false, inner: null);
        using var h = new Harness(configure: s => s.AddKeyedSingleton<INotificationTransport>("File", crashing));
        for (var i = 0; i < 4; i++)
        {
            await h.Publish(h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted));
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Deliver(crash.Token));
        Assert.Equal(2, (await h.Messages()).Count(m => m.Status == MessageStatus.Sent));

        await h.Deliver();

        Assert.All(await h.Messages(), m => Assert.Equal((MessageStatus.Sent, 1), (m.Status, m.Attempts)));
        Assert.Equal(4, crashing.Handed.Count);
        Assert.Equal(4, crashing.Handed.Distinct().Count());
    }

    /// <summary>Records, at each send, how many messages the database already holds as sent.</summary>
    private sealed class ObservingTransport(bool repeatIsHarmless) : INotificationTransport
    {
        public Harness? Harness { get; set; }

        public List<int> SentBefore { get; } = [];

        public bool RepeatIsHarmless => repeatIsHarmless;

        public async Task SendAsync(OutboxMessage message, CancellationToken ct)
        {
            await using var db = Harness!.Db();
            SentBefore.Add(await db.Messages.CountAsync(m => m.Status == MessageStatus.Sent, ct));
        }
    }

    /// <summary>Hands over <paramref name="after"/> messages, then the process "dies" (the run is cancelled in the middle of a send).</summary>
    private sealed class CrashingTransport(CancellationTokenSource crash, int after, bool repeatIsHarmless, INotificationTransport? inner) : INotificationTransport
    {
        public INotificationTransport? Inner { get; set; } = inner;

        public List<Guid> Handed { get; } = [];

        public bool RepeatIsHarmless => repeatIsHarmless;

        public async Task SendAsync(OutboxMessage message, CancellationToken ct)
        {
            if (!crash.IsCancellationRequested && Handed.Count == after)
            {
                await crash.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }

            Handed.Add(message.Id);
            if (Inner is not null)
            {
                await Inner.SendAsync(message, ct);
            }
        }
    }

    /// <summary>The most parameters any command reading <c>what</c> carried.</summary>
    private sealed class LargestParameterList(string what) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public int Largest { get; private set; }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains(what, StringComparison.Ordinal) && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.Ordinal))
            {
                Largest = Math.Max(Largest, command.Parameters.Count);
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    /// <summary>Twelve submitted applications with an e-mail only, then counts the delivery run's statements starting with <paramref name="prefix"/>.</summary>
    private static async Task<StatementCounter> TwelveSubmittedEmailsCountingAsync(Harness h, string prefix)
    {
        await h.Publish(new ApplicationStatusesChanged([.. Enumerable.Range(0, 12).Select(_ => h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted))]));
        var counter = new StatementCounter(prefix);
        h.Interceptors.Add(counter);
        return counter;
    }

    /// <summary>Counts the statements (queries or not) that start with <paramref name="prefix"/>.</summary>
    private sealed class StatementCounter(string prefix) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _count;

        public int Count => _count;

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Observe(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Observe(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Observe(System.Data.Common.DbCommand command)
        {
            // EF's SQLite provider sends one statement per command; a batch would list several, each counted.
            Interlocked.Add(ref _count, command.CommandText.Split(';').Count(sql => sql.TrimStart().StartsWith(prefix, StringComparison.Ordinal)));
        }
    }
}
