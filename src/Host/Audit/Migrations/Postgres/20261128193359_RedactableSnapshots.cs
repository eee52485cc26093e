using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Host.Audit.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class RedactableSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "after_digest",
                schema: "audit",
                table: "entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "before_digest",
                schema: "audit",
                table: "entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "hash_version",
                schema: "audit",
                table: "entries",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "redacted_at",
                schema: "audit",
                table: "entries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "redacted_by",
                schema: "audit",
                table: "entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "after_digest",
                schema: "audit",
                table: "entries");

            migrationBuilder.DropColumn(
                name: "before_digest",
                schema: "audit",
                table: "entries");

            migrationBuilder.DropColumn(
                name: "hash_version",
                schema: "audit",
                table: "entries");

            migrationBuilder.DropColumn(
                name: "redacted_at",
                schema: "audit",
                table: "entries");

            migrationBuilder.DropColumn(
                name: "redacted_by",
                schema: "audit",
                table: "entries");
        }
    }
}
