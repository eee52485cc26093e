using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class ProofFilesAndRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "anonymized_at",
                schema: "registry",
                table: "application",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "priority_proof_id",
                schema: "registry",
                table: "application",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "representative_proof_id",
                schema: "registry",
                table: "application",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "proof_file",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    stored_name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_proof_file", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_priority_proof_id",
                schema: "registry",
                table: "application",
                column: "priority_proof_id");

            migrationBuilder.CreateIndex(
                name: "IX_application_representative_proof_id",
                schema: "registry",
                table: "application",
                column: "representative_proof_id");

            migrationBuilder.CreateIndex(
                name: "IX_proof_file_owner_pin",
                schema: "registry",
                table: "proof_file",
                column: "owner_pin");

            migrationBuilder.CreateIndex(
                name: "IX_proof_file_stored_name",
                schema: "registry",
                table: "proof_file",
                column: "stored_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "proof_file",
                schema: "registry");

            migrationBuilder.DropIndex(
                name: "IX_application_priority_proof_id",
                schema: "registry",
                table: "application");

            migrationBuilder.DropIndex(
                name: "IX_application_representative_proof_id",
                schema: "registry",
                table: "application");

            migrationBuilder.DropColumn(
                name: "anonymized_at",
                schema: "registry",
                table: "application");

            migrationBuilder.DropColumn(
                name: "priority_proof_id",
                schema: "registry",
                table: "application");

            migrationBuilder.DropColumn(
                name: "representative_proof_id",
                schema: "registry",
                table: "application");
        }
    }
}
