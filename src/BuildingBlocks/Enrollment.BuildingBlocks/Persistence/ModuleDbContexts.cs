using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.BuildingBlocks.Persistence;

/// <summary>
/// One DbContext per module, with one derived context per provider so each provider keeps its own migrations
/// (Data/Migrations/Sqlite and Data/Migrations/Postgres). See docs/adr/0003-data-per-module.md.
/// </summary>
public static class ModuleDbContexts
{
    /// <summary>Contexts kept per module for reuse; more leased at once are made and discarded as before.</summary>
    public const int PoolSize = 256;

    /// <param name="audited">Every SaveChanges appends audit entries in the same transaction (docs/adr/0007).</param>
    /// <param name="ownSqliteFile">
    /// On SQLite the module's tables are in a file of their own (<c>&lt;module&gt;.db</c>, ADR 0907), so its writes do not
    /// take the shared file's write lock. Only for unaudited modules: the audit table and its hash chain are in the shared file.
    /// </param>
    public static IServiceCollection AddModuleDbContext<TContext, TSqlite, TPostgres>(
        this IServiceCollection services, DatabaseOptions database, string module, bool audited = true, bool ownSqliteFile = false)
        where TContext : DbContext
        where TSqlite : TContext
        where TPostgres : TContext
    {
        if (audited && ownSqliteFile)
        {
            throw new ArgumentException($"{module}: an audited module writes its audit entries in the same transaction as its changes, so it stays in the shared file.", nameof(ownSqliteFile));
        }

        // The options are built once per host (singleton), not per scope: building them, and EF's look-up of its internal
        // services by them, showed in the opening-morning profile (≈ 4 % of the host's CPU, ADR 0902). The audit
        // interceptor is one per module; each context made by a scope is bound to that scope's AuditContext.
        if (database.Provider == DatabaseProvider.Postgres)
        {
            Register<TPostgres>();
        }
        else
        {
            Register<TSqlite>();
        }

        services.AddSingleton<IModuleMigrator>(new ModuleMigrator<TContext>(module));
        return services;

        void Register<TProvider>() where TProvider : TContext
        {
            // Pooled (ADR 0903): a scope leases a context made earlier and returns it, reset, when the scope ends. Making a
            // context and starting its EF services on first use was ≈ 4 % of the host's CPU on the opening morning.
            //
            // Registered once, as the module's context type only: the container disposes every instance a registration's
            // factory returns, so a second registration returning the same context (the provider type as an alias) disposed
            // it twice at the end of each scope. The first dispose hands it back to the pool; when another scope leased it
            // before the second, that second dispose handed it back again from under the new scope — which then failed with
            // "Cannot access a disposed context instance", or shared its connection with a third scope and left a transaction
            // open on it (the opening-day smoke tests' rare INTERNAL_ERROR and hang, 2026-11-29; ADR 0903 amended).
            services.AddPooledDbContextFactory<TProvider>((sp, b) => Configure(sp, b, typeof(TProvider)), PoolSize);
            services.AddScoped<TContext>(sp =>
            {
                var context = sp.GetRequiredService<IDbContextFactory<TProvider>>().CreateDbContext();
                return audited ? Audit.AuditInterceptor.Bind(context, sp.GetRequiredService<Audit.AuditContext>()) : context;
            });
        }

        void Configure(IServiceProvider sp, DbContextOptionsBuilder builder, Type context)
        {
            ModuleDatabase.Configure(builder, database, module, context, ownSqliteFile);
            if (audited)
            {
                builder.AddInterceptors(new Audit.AuditInterceptor(module, sp.GetRequiredService<Time.IClock>()));
            }
        }
    }

    /// <summary>
    /// Names every table of the module: <c>module_table</c> on SQLite (one file, unique names),
    /// schema <c>module</c> on PostgreSQL. Column and table names are snake_case on both.
    /// </summary>
    public static void ApplyModuleNaming(this ModelBuilder modelBuilder, DbContext context, string module)
    {
        var postgres = context.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
        if (postgres)
        {
            modelBuilder.HasDefaultSchema(module);
        }

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.IsOwned() && entity.GetTableName() == entity.FindOwnership()?.PrincipalEntityType.GetTableName())
            {
                continue;
            }

            var table = SnakeCase(entity.GetTableName() ?? entity.ClrType.Name);
            entity.SetTableName(postgres ? table : $"{module}_{table}");
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}

/// <summary>Applies a module's migrations at start-up (the Host calls every registered migrator).</summary>
public interface IModuleMigrator
{
    string Module { get; }

    Task MigrateAsync(IServiceProvider scopedServices, CancellationToken cancellationToken);
}

internal sealed class ModuleMigrator<TContext>(string module) : IModuleMigrator where TContext : DbContext
{
    public string Module => module;

    public Task MigrateAsync(IServiceProvider scopedServices, CancellationToken cancellationToken) =>
        scopedServices.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build a module's context without the Host.</summary>
public abstract class DesignTimeFactory<TContext>(DatabaseProvider provider, string module) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DatabaseOptions
        {
            Provider = provider,
            ConnectionString = provider == DatabaseProvider.Postgres ? "Host=localhost;Database=design_time" : "Data Source=design_time.db",
        };
        var builder = new DbContextOptionsBuilder<TContext>();
        ModuleDatabase.Configure(builder, options, module, typeof(TContext));
        return (TContext)Activator.CreateInstance(typeof(TContext), builder.Options)!;
    }
}

public static class ModuleConventions
{
    /// <summary>
    /// On SQLite, instants are stored as sortable 64-bit numbers (UTC ticks) so they can be compared and ordered
    /// in queries; PostgreSQL stores <c>timestamptz</c>. Call from <c>ConfigureConventions</c>.
    /// </summary>
    public static void Apply(ModelConfigurationBuilder conventions, DbContext context)
    {
        if (context.Database.ProviderName?.Contains("Sqlite", StringComparison.Ordinal) == true)
        {
            conventions.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            conventions.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    private sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}
