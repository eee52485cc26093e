using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Enrollment.BuildingBlocks.Persistence;

/// <summary>
/// Inserts many rows of one entity type with multi-row parameterised INSERTs in one transaction, using the
/// EF model for table, column names and value conversions. For seeding and imports of hundreds of thousands
/// of rows, where change tracking would take minutes. Works on SQLite and PostgreSQL.
/// </summary>
public static class BulkInsert
{
    public static Task<int> InsertAsync<T>(DbContext db, IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : class =>
        InsertAsync(db, rows, "", cancellationToken);

    /// <summary>
    /// As <see cref="InsertAsync{T}(DbContext, IEnumerable{T}, CancellationToken)"/>, but a row that would break a unique
    /// index or the key (one already stored, or an earlier row of the same call) is skipped instead of failing the call
    /// (<c>ON CONFLICT DO NOTHING</c>, on SQLite and PostgreSQL alike). Returns the rows inserted.
    /// </summary>
    public static Task<int> InsertOrSkipAsync<T>(DbContext db, IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : class =>
        InsertAsync(db, rows, " ON CONFLICT DO NOTHING", cancellationToken);

    /// <summary>
    /// Inserts each row or, when a row with its primary key is stored already, adds the row's
    /// <paramref name="addedProperty"/> to the stored value (<c>INSERT … ON CONFLICT (key) DO UPDATE SET n = t.n +
    /// excluded.n</c>, on SQLite and PostgreSQL alike) — counters that many writers add to, such as Reporting's day cells.
    /// The rows must have distinct keys. Returns the rows inserted or updated.
    /// </summary>
    public static Task<int> InsertOrAddAsync<T>(DbContext db, IEnumerable<T> rows, string addedProperty, CancellationToken cancellationToken)
        where T : class
    {
        var mapping = MappingOf<T>(db);
        var added = mapping.ColumnOf(addedProperty);
        return InsertAsync(db, rows, mapping, " AS t",
            $" ON CONFLICT ({string.Join(", ", mapping.KeyColumns)}) DO UPDATE SET {added} = t.{added} + excluded.{added}", cancellationToken);
    }

    private static Task<int> InsertAsync<T>(DbContext db, IEnumerable<T> rows, string onConflict, CancellationToken cancellationToken)
        where T : class =>
        InsertAsync(db, rows, MappingOf<T>(db), "", onConflict, cancellationToken);

    private static async Task<int> InsertAsync<T>(DbContext db, IEnumerable<T> rows, Mapping mapping, string alias, string onConflict,
        CancellationToken cancellationToken)
        where T : class
    {
        var tableSql = mapping.TableSql + alias;
        var connection = db.Database.GetDbConnection();
        var openedHere = connection.State != System.Data.ConnectionState.Open;
        if (openedHere) await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = db.Database.CurrentTransaction is null
                ? await db.Database.BeginTransactionAsync(cancellationToken)
                : null;
            var dbTransaction = db.Database.CurrentTransaction!.GetDbTransaction();
            var total = db.Database.IsSqlite()
                ? await InsertPreparedAsync(connection, dbTransaction, tableSql, mapping.ColumnsSql, onConflict, mapping.Properties, mapping.Converters, rows, cancellationToken)
                : await InsertMultiRowAsync(connection, dbTransaction, tableSql, mapping.ColumnsSql, onConflict, mapping.Properties, mapping.Converters, rows,
                    mapping.RowsPerStatement, cancellationToken);

            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            return total;
        }
        finally
        {
            if (openedHere) await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// What an entity type's rows are written as: its table, the columns of its stored properties (not an int/long key the
    /// database generates), their converters and its key columns — resolved from the EF model once per entity type (the
    /// model of a context type is built once per process), not on every call of the opening morning's hot paths.
    /// </summary>
    private sealed record Mapping(string TableSql, List<IProperty> Properties, string ColumnsSql,
        Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter?[] Converters, string[] KeyColumns, Dictionary<string, string> Columns)
    {
        public int RowsPerStatement => Math.Max(1, 900 / Properties.Count);

        public string ColumnOf(string property) =>
            Columns.TryGetValue(property, out var column) ? column : throw new InvalidOperationException($"{property} is not a stored property.");
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IEntityType, Mapping> Mappings = new();

    private static Mapping MappingOf<T>(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        return Mappings.GetValue(entity, e => Map(e, db.GetService<ISqlGenerationHelper>()));
    }

    private static Mapping Map(IEntityType entity, ISqlGenerationHelper sql)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties()
            .Where(p => p.GetColumnName(table) is not null
                        && !(p.ValueGenerated == ValueGenerated.OnAdd && (p.ClrType == typeof(int) || p.ClrType == typeof(long))))
            .ToList();
        var columns = properties.ToDictionary(p => p.Name, p => sql.DelimitIdentifier(p.GetColumnName(table)!), StringComparer.Ordinal);
        var keys = entity.FindPrimaryKey()?.Properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)).ToArray() ?? [];
        return new Mapping(sql.DelimitIdentifier(table.Name, table.Schema), properties, string.Join(", ", properties.Select(p => columns[p.Name])),
            [.. properties.Select(p => p.GetTypeMapping().Converter)], keys, columns);
    }

    /// <summary>SQLite: one prepared single-row INSERT, re-bound per row (no SQL parsing per row).</summary>
    private static async Task<int> InsertPreparedAsync<T>(DbConnection connection, DbTransaction transaction, string tableSql, string columnsSql,
        string onConflict, List<IProperty> properties, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter?[] converters, IEnumerable<T> rows,
        CancellationToken cancellationToken) where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {tableSql} ({columnsSql}) VALUES ({string.Join(", ", properties.Select((_, i) => "@p" + i))}){onConflict}";
        for (var i = 0; i < properties.Count; i++)
        {
            AddParameter(command, "@p" + i, null);
        }

        command.Prepare();
        var total = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < properties.Count; i++)
            {
                command.Parameters[i].Value = Value(command, properties[i], converters[i], row);
            }

            total += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return total;
    }

    /// <summary>PostgreSQL and others: multi-row VALUES statements, a few hundred parameters each.</summary>
    private static async Task<int> InsertMultiRowAsync<T>(DbConnection connection, DbTransaction transaction, string tableSql, string columnsSql,
        string onConflict, List<IProperty> properties, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter?[] converters, IEnumerable<T> rows,
        int rowsPerStatement, CancellationToken cancellationToken) where T : class
    {
        var total = 0;
        foreach (var chunk in rows.Chunk(rowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = new System.Text.StringBuilder();
            var n = 0;
            foreach (var row in chunk)
            {
                values.Append(values.Length == 0 ? "(" : ", (");
                for (var i = 0; i < properties.Count; i++)
                {
                    var name = "@p" + n++;
                    values.Append(i == 0 ? name : ", " + name);
                    AddParameter(command, name, Value(command, properties[i], converters[i], row));
                }

                values.Append(')');
            }

            command.CommandText = $"INSERT INTO {tableSql} ({columnsSql}) VALUES {values}{onConflict}";
            total += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return total;
    }

    private static object Value(DbCommand command, IProperty property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter, object row)
    {
        var raw = property.GetGetter().GetClrValue(row);
        var value = raw is null ? null : converter is not null ? converter.ConvertToProvider(raw) : raw;
        return value switch
        {
            null => DBNull.Value,
            DateOnly d when command.GetType().Name.StartsWith("Sqlite", StringComparison.Ordinal) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            char ch => ch.ToString(),
            _ => value,
        };
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
