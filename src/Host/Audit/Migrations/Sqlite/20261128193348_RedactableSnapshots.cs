using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Host.Audit.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class RedactableSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "after_digest",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "before_digest",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "hash_version",
                table: "audit_entries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "redacted_at",
                table: "audit_entries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "redacted_by",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "after_digest",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "before_digest",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "hash_version",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "redacted_at",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "redacted_by",
                table: "audit_entries");
        }
    }
}
