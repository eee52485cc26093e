using System.Security.Claims;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Enrollment.Process.Tests;

/// <summary>
/// Audited module contexts are pooled (ADR 0903) and the audit interceptor begins its own transaction for a save that has
/// none (ADR 0007). On PostgreSQL, Npgsql keeps one transaction object per physical connection and hands it to whoever
/// begins that connection's next transaction: a context must never touch a transaction of an earlier lease again.
/// </summary>
public sealed class PooledAuditTransactionTests : IDisposable
{
    private readonly string? _connectionString;
    private readonly ServiceProvider? _services;

    public PooledAuditTransactionTests()
    {
        if (!Postgres.Available)
        {
            return;
        }

        _connectionString = Postgres.CreateDatabase();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero)));
        services.AddScoped<ICurrentUser>(_ => new ClaimsCurrentUser(null));
        services.AddScoped<AuditContext>();
        services.AddModuleDbContext<TicketsContext, TicketsSqlite, TicketsPostgres>(
            new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _connectionString }, "tickets");
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        using var scope = _services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketsContext>();
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("""
            CREATE SCHEMA audit;
            CREATE TABLE audit.entries (id bigserial PRIMARY KEY, at timestamptz, actor_id text, actor_name text, actor_roles text,
              district_code text, school_code text, request_id text, module text, entity text, entity_key text, action text, before_json text,
              after_json text, reason text, previous_hash text, hash text, hash_version integer, before_digest text, after_digest text)
            """);
    }

    public void Dispose()
    {
        _services?.Dispose();
        if (_connectionString is not null)
        {
            Postgres.DropDatabase(_connectionString);
        }
    }

    [PostgresFact]
    public async Task A_context_that_lost_a_race_never_rolls_back_the_transaction_its_old_connection_now_carries_for_someone_else()
    {
        var services = _services!;
        await using (var seed = services.CreateAsyncScope())
        {
            var db = seed.ServiceProvider.GetRequiredService<TicketsContext>();
            db.Tickets.Add(new Ticket { Id = 1, Text = "first" });
            await db.SaveChangesAsync();
        }

        // A save loses a race: EF throws without a failure hook, and the audit's own transaction is still open when the
        // scope ends. The lease ends; EF ends the transaction and the physical connection goes back to Npgsql's pool.
        TicketsContext lost;
        int backend;
        string connectionString;
        await using (var scope = services.CreateAsyncScope())
        {
            lost = scope.ServiceProvider.GetRequiredService<TicketsContext>();
            var ticket = await lost.Tickets.SingleAsync(t => t.Id == 1);
            await using (var winner = services.CreateAsyncScope())
            {
                await winner.ServiceProvider.GetRequiredService<TicketsContext>().Tickets.Where(t => t.Id == 1).ExecuteDeleteAsync();
            }

            ticket.Text = "too late";
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => lost.SaveChangesAsync());
            Assert.NotNull(lost.Database.CurrentTransaction); // the audit's transaction, left open by EF's concurrency failure
            backend = ((NpgsqlConnection)lost.Database.GetDbConnection()).ProcessID;
            connectionString = lost.Database.GetConnectionString()!;
        }

        // Someone else gets that physical connection and begins a transaction on it (Npgsql gives them the same
        // transaction object the lost save's transaction wrapped).
        await using (var held = new Held())
        {
            var reused = await held.ConnectionToAsync(connectionString, backend);
            await using var theirs = await reused.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand("INSERT INTO tickets.tickets (id, text) VALUES (2, 'theirs')", reused, theirs))
            {
                await insert.ExecuteNonQueryAsync();
            }

            // The context that lost the race is lent to the next scope and saves: it must not end their transaction.
            var again = held.LeaseAgain(services, lost);
            again.Tickets.Add(new Ticket { Id = 3, Text = "mine" });
            await again.SaveChangesAsync();

            await theirs.CommitAsync(); // before the fix: "This NpgsqlTransaction has completed" — rolled back by the stale save
        }

        Assert.Equal(2, Postgres.Scalar(_connectionString!, "SELECT count(*) FROM tickets.tickets WHERE id IN (2, 3)"));
        Assert.Equal(1, Postgres.Scalar(_connectionString!, "SELECT count(*) FROM audit.entries WHERE entity_key = '3'"));
    }

    /// <summary>Connections and scopes held open until disposed, so the pools hand out the next one they keep.</summary>
    private sealed class Held : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _items = [];

        /// <summary>Opens connections until one is served by PostgreSQL backend <paramref name="backend"/>.</summary>
        public async Task<NpgsqlConnection> ConnectionToAsync(string connectionString, int backend)
        {
            for (var i = 0; i < 50; i++)
            {
                var connection = new NpgsqlConnection(connectionString);
                _items.Add(connection);
                await connection.OpenAsync();
                if (connection.ProcessID == backend)
                {
                    return connection;
                }
            }

            throw new Xunit.Sdk.XunitException($"the pool never handed out backend {backend} again");
        }

        /// <summary>Leases contexts in new scopes until the pool lends <paramref name="context"/> again (ADR 0903).</summary>
        public TicketsContext LeaseAgain(IServiceProvider services, TicketsContext context)
        {
            for (var i = 0; i < 10; i++)
            {
                var scope = services.CreateAsyncScope();
                _items.Add(scope);
                if (ReferenceEquals(scope.ServiceProvider.GetRequiredService<TicketsContext>(), context))
                {
                    return context;
                }
            }

            throw new Xunit.Sdk.XunitException("the pool never lent the context that lost the race again (ADR 0903)");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var item in Enumerable.Reverse(_items))
            {
                await item.DisposeAsync();
            }
        }
    }

    public sealed class Ticket
    {
        public int Id { get; set; }

        public string Text { get; set; } = "";
    }

    public class TicketsContext(DbContextOptions options) : DbContext(options)
    {
        public DbSet<Ticket> Tickets => Set<Ticket>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Ticket>().Property(t => t.Id).ValueGeneratedNever();
            modelBuilder.ApplyModuleNaming(this, "tickets");
        }
    }

    public sealed class TicketsSqlite(DbContextOptions<TicketsSqlite> options) : TicketsContext(options);

    public sealed class TicketsPostgres(DbContextOptions<TicketsPostgres> options) : TicketsContext(options);
}
