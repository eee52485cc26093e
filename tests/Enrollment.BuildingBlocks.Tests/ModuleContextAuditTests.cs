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
