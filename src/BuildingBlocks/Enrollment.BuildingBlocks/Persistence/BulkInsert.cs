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

    private static async Task<int> InsertAsync<T>(DbContext db, IEnumerable<T> rows, string onConflict, CancellationToken cancellationToken)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties()
            .Where(p => p.GetColumnName(table) is not null
                        && !(p.ValueGenerated == ValueGenerated.OnAdd && (p.ClrType == typeof(int) || p.ClrType == typeof(long))))
            .ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var tableSql = sql.DelimitIdentifier(table.Name, table.Schema);
        var columnsSql = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var converters = properties.Select(p => p.GetTypeMapping().Converter).ToArray();
        var rowsPerStatement = Math.Max(1, 900 / properties.Count);

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
                ? await InsertPreparedAsync(connection, dbTransaction, tableSql, columnsSql, onConflict, properties, converters, rows, cancellationToken)
                : await InsertMultiRowAsync(connection, dbTransaction, tableSql, columnsSql, onConflict, properties, converters, rows, rowsPerStatement, cancellationToken);

            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            return total;
        }
        finally
        {
            if (openedHere) await db.Database.CloseConnectionAsync();
        }
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
