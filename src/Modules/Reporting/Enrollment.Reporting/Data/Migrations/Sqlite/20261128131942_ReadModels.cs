using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Reporting.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class ReadModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reporting_application_fact",
                columns: table => new
                {
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    child_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    birth_year = table.Column<int>(type: "INTEGER", nullable: false),
                    sex = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    submitted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    submitted_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    grade = table.Column<int>(type: "INTEGER", nullable: true),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    choices = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    choice_count = table.Column<int>(type: "INTEGER", nullable: false),
                    priority_category = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    priority_verified = table.Column<bool>(type: "INTEGER", nullable: false),
                    privileged = table.Column<bool>(type: "INTEGER", nullable: false),
                    enrolled_school_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    enrolled_language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    enrolled_grade = table.Column<int>(type: "INTEGER", nullable: true),
                    enrolled_district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    event_at = table.Column<long>(type: "INTEGER", nullable: false),
                    history_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reporting_application_fact", x => x.application_id);
                });

            migrationBuilder.CreateTable(
                name: "reporting_daily_applications",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    submitted = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reporting_daily_applications", x => new { x.campaign_id, x.day, x.region_code });
                });

            migrationBuilder.CreateTable(
                name: "reporting_district",
                columns: table => new
                {
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reporting_district", x => x.district_code);
                });

            migrationBuilder.CreateTable(
                name: "reporting_program_fact",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "INTEGER", nullable: false),
                    school_name_ky = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    school_name_ru = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    classes = table.Column<int>(type: "INTEGER", nullable: false),
                    approved_seats = table.Column<int>(type: "INTEGER", nullable: false),
                    offers = table.Column<int>(type: "INTEGER", nullable: false),
                    enrolled = table.Column<int>(type: "INTEGER", nullable: false),
                    free_seats = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reporting_program_fact", x => new { x.campaign_id, x.school_code, x.language, x.grade });
                });

            migrationBuilder.CreateTable(
                name: "reporting_read_model_version",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    changed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reporting_read_model_version", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reporting_saved_query",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    query = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    variables = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    saved_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reporting_saved_query", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_reporting_application_fact_campaign_id_enrolled_school_code",
                table: "reporting_application_fact",
                columns: new[] { "campaign_id", "enrolled_school_code" });

            migrationBuilder.CreateIndex(
                name: "IX_reporting_application_fact_campaign_id_region_code_district_code_language",
                table: "reporting_application_fact",
                columns: new[] { "campaign_id", "region_code", "district_code", "language" });

            migrationBuilder.CreateIndex(
                name: "IX_reporting_application_fact_campaign_id_school_code",
                table: "reporting_application_fact",
                columns: new[] { "campaign_id", "school_code" });

            migrationBuilder.CreateIndex(
                name: "IX_reporting_application_fact_campaign_id_submitted_on_region_code",
                table: "reporting_application_fact",
                columns: new[] { "campaign_id", "submitted_on", "region_code" });

            migrationBuilder.CreateIndex(
                name: "IX_reporting_program_fact_campaign_id_region_code_district_code_language",
                table: "reporting_program_fact",
                columns: new[] { "campaign_id", "region_code", "district_code", "language" });

            migrationBuilder.CreateIndex(
                name: "IX_reporting_saved_query_owner_name",
                table: "reporting_saved_query",
                columns: new[] { "owner", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reporting_application_fact");

            migrationBuilder.DropTable(
                name: "reporting_daily_applications");

            migrationBuilder.DropTable(
                name: "reporting_district");

            migrationBuilder.DropTable(
                name: "reporting_program_fact");

            migrationBuilder.DropTable(
                name: "reporting_read_model_version");

            migrationBuilder.DropTable(
                name: "reporting_saved_query");
        }
    }
}
