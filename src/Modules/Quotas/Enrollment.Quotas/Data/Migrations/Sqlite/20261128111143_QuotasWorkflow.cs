using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Quotas.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class QuotasWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quotas_campaign_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    changed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    changes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    @override = table.Column<bool>(name: "override", type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas_campaign_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "quotas_published_stages",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    published_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas_published_stages", x => x.campaign_id);
                });

            migrationBuilder.CreateTable(
                name: "quotas_quota_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    quota_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    changed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    old_status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    new_status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    old_classes = table.Column<int>(type: "INTEGER", nullable: false),
                    old_seats = table.Column<int>(type: "INTEGER", nullable: false),
                    new_classes = table.Column<int>(type: "INTEGER", nullable: false),
                    new_seats = table.Column<int>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas_quota_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "quotas_quotas",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "INTEGER", nullable: false),
                    classes = table.Column<int>(type: "INTEGER", nullable: false),
                    seats = table.Column<int>(type: "INTEGER", nullable: false),
                    approved_classes = table.Column<int>(type: "INTEGER", nullable: false),
                    approved_seats = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas_quotas", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "quotas_switches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    starts_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ends_at = table.Column<long>(type: "INTEGER", nullable: false),
                    school_codes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    announced_at = table.Column<long>(type: "INTEGER", nullable: false),
                    announced_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas_switches", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_quotas_campaign_changes_campaign_id_at",
                table: "quotas_campaign_changes",
                columns: new[] { "campaign_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_quotas_quota_changes_quota_id_at",
                table: "quotas_quota_changes",
                columns: new[] { "quota_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_quotas_quotas_campaign_id_district_code_status",
                table: "quotas_quotas",
                columns: new[] { "campaign_id", "district_code", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_quotas_quotas_campaign_id_school_code_language_grade",
                table: "quotas_quotas",
                columns: new[] { "campaign_id", "school_code", "language", "grade" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_quotas_switches_campaign_id_kind",
                table: "quotas_switches",
                columns: new[] { "campaign_id", "kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quotas_campaign_changes");

            migrationBuilder.DropTable(
                name: "quotas_published_stages");

            migrationBuilder.DropTable(
                name: "quotas_quota_changes");

            migrationBuilder.DropTable(
                name: "quotas_quotas");

            migrationBuilder.DropTable(
                name: "quotas_switches");
        }
    }
}
