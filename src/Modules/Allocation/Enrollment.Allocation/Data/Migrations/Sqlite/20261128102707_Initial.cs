using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Allocation.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "allocation_run",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    triggered_by = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    dry_run = table.Column<bool>(type: "INTEGER", nullable: false),
                    input_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    seed = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    applications = table.Column<int>(type: "INTEGER", nullable: false),
                    offers = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocation_run", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_allocation_run_campaign_id_started_at",
                table: "allocation_run",
                columns: new[] { "campaign_id", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "allocation_run");
        }
    }
}
