using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class ProofFilesAndRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "anonymized_at",
                table: "registry_application",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "priority_proof_id",
                table: "registry_application",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "representative_proof_id",
                table: "registry_application",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "registry_proof_file",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    owner_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    stored_name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    uploaded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_proof_file", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_priority_proof_id",
                table: "registry_application",
                column: "priority_proof_id");

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_representative_proof_id",
                table: "registry_application",
                column: "representative_proof_id");

            migrationBuilder.CreateIndex(
                name: "IX_registry_proof_file_owner_pin",
                table: "registry_proof_file",
                column: "owner_pin");

            migrationBuilder.CreateIndex(
                name: "IX_registry_proof_file_stored_name",
                table: "registry_proof_file",
                column: "stored_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_proof_file");

            migrationBuilder.DropIndex(
                name: "IX_registry_application_priority_proof_id",
                table: "registry_application");

            migrationBuilder.DropIndex(
                name: "IX_registry_application_representative_proof_id",
                table: "registry_application");

            migrationBuilder.DropColumn(
                name: "anonymized_at",
                table: "registry_application");

            migrationBuilder.DropColumn(
                name: "priority_proof_id",
                table: "registry_application");

            migrationBuilder.DropColumn(
                name: "representative_proof_id",
                table: "registry_application");
        }
    }
}
