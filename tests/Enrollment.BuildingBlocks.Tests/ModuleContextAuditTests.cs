using System.Runtime.CompilerServices;
using System.Security.Claims;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.BuildingBlocks.Tests;

/// <summary>
/// Module contexts registered by <see cref="ModuleDbContexts.AddModuleDbContext{TContext, TSqlite, TPostgres}"/> share
/// their options and one audit interceptor per module (ADR 0902) and are pooled (ADR 0903); each context still audits as
/// the scope that leased it.
/// </summary>
public sealed class ModuleContextAuditTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "module-audit-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public ModuleContextAuditTests()
    {
        Directory.CreateDirectory(_directory);
        var database = new DatabaseOptions { DataDirectory = _directory };
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero)));
        services.AddScoped<ICurrentUser>(_ => new ClaimsCurrentUser(null));
        services.AddScoped<AuditContext>();
        services.AddModuleDbContext<NotesContext, NotesSqlite, NotesPostgres>(database, "notes");
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        using var scope = _services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesContext>();
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("""
            CREATE TABLE audit_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER, actor_id TEXT, actor_name TEXT, actor_roles TEXT,
              district_code TEXT, school_code TEXT, request_id TEXT, module TEXT, entity TEXT, entity_key TEXT, action TEXT, before_json TEXT,
              after_json TEXT, reason TEXT, previous_hash TEXT, hash TEXT, hash_version INTEGER, before_digest TEXT, after_digest TEXT)
            """);
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Contexts_of_two_scopes_saving_at_once_each_name_their_own_scope_in_the_audit_trail()
    {
        var saves = Enumerable.Range(1, 20).Select(i => Task.Run(async () =>
        {
            await using var scope = _services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<AuditContext>().RequestId = $"request-{i}";
            var db = scope.ServiceProvider.GetRequiredService<NotesContext>();
            db.Notes.Add(new Note { Id = i, Text = $"note {i}" });
            await db.SaveChangesAsync();
        })).ToList();

        await Task.WhenAll(saves);

        await using var check = _services.CreateAsyncScope();
        var entries = await check.ServiceProvider.GetRequiredService<NotesContext>().Database
            .SqlQueryRaw<EntryRow>("SELECT entity_key AS EntityKey, request_id AS RequestId FROM audit_entries").ToListAsync();
        Assert.Equal(20, entries.Count);
        Assert.All(entries, e => Assert.Equal($"request-{e.EntityKey}", e.RequestId));
    }

    [Fact]
    public async Task A_scope_hands_its_context_back_to_the_pool_exactly_once()
    {
        NotesContext leased;
        int before;
        await using (var scope = _services.CreateAsyncScope())
        {
            leased = scope.ServiceProvider.GetRequiredService<NotesContext>();
            before = NotesContext.Disposals.GetOrCreateValue(leased).Value; // pooled: earlier scopes leased it too
            await leased.Notes.CountAsync();
        }

        // A second dispose after the pool lent the context to the next scope would take it from under that scope.
        Assert.Equal(before + 1, NotesContext.Disposals.GetOrCreateValue(leased).Value);
        await using var next = _services.CreateAsyncScope();
        var again = next.ServiceProvider.GetRequiredService<NotesContext>();
        Assert.Same(leased, again); // pooled
        Assert.Equal(0, await again.Notes.CountAsync());
    }

    [Fact]
    public void All_contexts_of_a_module_share_one_options_instance()
    {
        using var a = _services.CreateScope();
        using var b = _services.CreateScope();
        Assert.Same(a.ServiceProvider.GetRequiredService<DbContextOptions<NotesSqlite>>(), b.ServiceProvider.GetRequiredService<DbContextOptions<NotesSqlite>>());
        Assert.NotSame(a.ServiceProvider.GetRequiredService<NotesContext>(), b.ServiceProvider.GetRequiredService<NotesContext>());
    }

    [Fact]
    public async Task A_pooled_context_leased_again_by_a_later_scope_audits_as_that_scope_with_nothing_left_from_the_last()
    {
        NotesContext? first = null;
        for (var i = 1; i <= 2; i++)
        {
            await using var scope = _services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<AuditContext>().RequestId = $"request-{i}";
            var db = scope.ServiceProvider.GetRequiredService<NotesContext>();
            if (first is null)
            {
                first = db;
                db.Notes.Add(new Note { Id = 1, Text = "saved" });
                await db.SaveChangesAsync();
                db.Notes.Add(new Note { Id = 3, Text = "left unsaved in the first scope" });
                continue;
            }

            Assert.Same(first, db); // the pool lent the first scope's context again (ADR 0903)…
            Assert.Empty(db.ChangeTracker.Entries()); // …reset: the first scope's tracked and unsaved notes are gone
            db.Notes.Add(new Note { Id = 2, Text = "second" });
            await db.SaveChangesAsync();
        }

        await using var check = _services.CreateAsyncScope();
        var entries = await check.ServiceProvider.GetRequiredService<NotesContext>().Database
            .SqlQueryRaw<EntryRow>("SELECT entity_key AS EntityKey, request_id AS RequestId FROM audit_entries ORDER BY id").ToListAsync();
        Assert.Equal(new[] { new EntryRow("1", "request-1"), new EntryRow("2", "request-2") }, entries);
    }

    [Fact]
    public async Task An_audited_context_made_outside_its_scope_is_refused_at_save_rather_than_audited_as_nobody()
    {
        using var scope = _services.CreateScope();
        await using var stray = new NotesSqlite(scope.ServiceProvider.GetRequiredService<DbContextOptions<NotesSqlite>>());
        stray.Notes.Add(new Note { Id = 99, Text = "stray" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => stray.SaveChangesAsync());
    }

    [Fact]
    public async Task A_save_cancelled_after_the_audit_began_its_transaction_leaves_nothing_for_the_contexts_next_save()
    {
        // A pooled context whose save was cancelled kept the audit's own transaction as "in progress"; its next save in a
        // transaction lent by the submit queue then committed that dead transaction (INTERNAL_ERROR, 2026-11-30).
        using var scope = _services.CreateScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<NotesContext>().Database.GetConnectionString();
        var cancel = new CancellingInterceptor();
        var options = new DbContextOptionsBuilder<NotesSqlite>().UseSqlite(connectionString)
            .AddInterceptors(new AuditInterceptor("notes", scope.ServiceProvider.GetRequiredService<IClock>()), cancel).Options;
        await using var db = AuditInterceptor.Bind(new NotesSqlite(options), scope.ServiceProvider.GetRequiredService<AuditContext>());

        db.Notes.Add(new Note { Id = 41, Text = "cancelled" });
        cancel.Armed = true;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.SaveChangesAsync(cancel.Source.Token));
        Assert.Null(db.Database.CurrentTransaction); // the audit's transaction was rolled back, not left open
        db.ChangeTracker.Clear(); // what the pool does before lending the context again

        cancel.Armed = false;
        await using var lent = await db.Database.BeginTransactionAsync(); // the caller owns the transaction (the submit queue)
        var deferred = new List<AuditEntryData>();
        AuditInterceptor.DeferAppends(db, deferred);
        db.Notes.Add(new Note { Id = 42, Text = "saved in the lent transaction" });
        await db.SaveChangesAsync();
        AuditInterceptor.StopDeferring(db);
        await lent.CommitAsync();

        Assert.Equal("42", Assert.Single(deferred).EntityKey); // handed to the caller, not appended by the interceptor
        Assert.Equal(new[] { 42 }, await db.Notes.Select(n => n.Id).ToListAsync());
        Assert.Empty(await db.Database.SqlQueryRaw<EntryRow>("SELECT entity_key AS EntityKey, request_id AS RequestId FROM audit_entries").ToListAsync());
    }

    [Fact]
    public async Task A_context_that_lost_a_concurrent_change_saves_next_in_a_lent_transaction_with_its_entries_handed_to_the_caller()
    {
        // The loser of a race (CONCURRENT_CHANGE) gets EF's DbUpdateConcurrencyException, and EF calls no failure hook: the
        // audit's transaction stayed "in progress" on the pooled context, and its next save — a submit in the queue's lent
        // transaction — committed that dead transaction and failed (INTERNAL_ERROR, EnrollCancelRaceTests, 2026-11-30).
        await using (var seed = _services.CreateAsyncScope())
        {
            var db = seed.ServiceProvider.GetRequiredService<NotesContext>();
            db.Notes.Add(new Note { Id = 51, Text = "first" });
            await db.SaveChangesAsync();
        }

        NotesContext lost;
        await using (var scope = _services.CreateAsyncScope())
        {
            lost = scope.ServiceProvider.GetRequiredService<NotesContext>();
            var note = await lost.Notes.SingleAsync(n => n.Id == 51);
            await using (var winner = _services.CreateAsyncScope())
            {
                await winner.ServiceProvider.GetRequiredService<NotesContext>().Notes.Where(n => n.Id == 51).ExecuteDeleteAsync();
            }

            note.Text = "too late";
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => lost.SaveChangesAsync());
        }

        var before = await AuditCountAsync();
        await using var next = _services.CreateAsyncScope();
        var loser = next.ServiceProvider.GetRequiredService<NotesContext>();
        Assert.Same(lost, loser); // the pool lends the context that lost the race to the next scope (ADR 0903)

        var connectionString = loser.Database.GetConnectionString();
        await using var lender = new SqliteConnection(connectionString);
        await lender.OpenAsync();
        await using var lent = await lender.BeginTransactionAsync();
        var ownConnection = loser.Database.GetDbConnection();
        loser.Database.SetDbConnection(lender, contextOwnsConnection: false);
        await loser.Database.UseTransactionAsync(lent);
        var deferred = new List<AuditEntryData>();
        AuditInterceptor.DeferAppends(loser, deferred);
        loser.Notes.Add(new Note { Id = 52, Text = "saved in the lent transaction" });
        await loser.SaveChangesAsync();
        AuditInterceptor.StopDeferring(loser);
        await loser.Database.UseTransactionAsync(null);
        await lent.CommitAsync();
        loser.Database.SetDbConnection(ownConnection, contextOwnsConnection: true);

        Assert.Equal("52", Assert.Single(deferred).EntityKey); // handed to the lender, not appended by the interceptor
        Assert.Equal(before, await AuditCountAsync());
    }

    private async Task<int> AuditCountAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<NotesContext>().Database
            .SqlQueryRaw<EntryRow>("SELECT entity_key AS EntityKey, request_id AS RequestId FROM audit_entries").ToListAsync()).Count;
    }

    /// <summary>While armed, cancels the save's token from its save hook (after the audit interceptor's), as a caller going away would.</summary>
    private sealed class CancellingInterceptor : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
    {
        public CancellationTokenSource Source { get; } = new();

        public bool Armed { get; set; }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
            Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                Source.Cancel();
            }

            return ValueTask.FromResult(result);
        }
    }

    private sealed record EntryRow(string EntityKey, string? RequestId);

    public sealed class Note
    {
        public int Id { get; set; }

        public string Text { get; set; } = "";
    }

    public class NotesContext(DbContextOptions options) : DbContext(options)
    {
        /// <summary>How often each instance was disposed (handed back to its pool).</summary>
        public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<NotesContext, StrongBox<int>> Disposals = new();

        public DbSet<Note> Notes => Set<Note>();

        public override void Dispose()
        {
            Interlocked.Increment(ref Disposals.GetOrCreateValue(this).Value);
            base.Dispose();
            GC.SuppressFinalize(this);
        }

        public override ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref Disposals.GetOrCreateValue(this).Value);
            GC.SuppressFinalize(this);
            return base.DisposeAsync();
        }
    }

    public sealed class NotesSqlite(DbContextOptions<NotesSqlite> options) : NotesContext(options);

    public sealed class NotesPostgres(DbContextOptions<NotesPostgres> options) : NotesContext(options);
}
