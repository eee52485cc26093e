using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Reporting.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class OpenDataIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_reporting_application_fact_open_data_district",
                table: "reporting_application_fact",
                columns: new[] { "campaign_id", "district_code", "language", "grade", "status", "privileged" });

            migrationBuilder.CreateIndex(
                name: "IX_reporting_application_fact_open_data_region",
                table: "reporting_application_fact",
                columns: new[] { "campaign_id", "region_code", "language", "grade", "status", "privileged" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_reporting_application_fact_open_data_district",
                table: "reporting_application_fact");

            migrationBuilder.DropIndex(
                name: "IX_reporting_application_fact_open_data_region",
                table: "reporting_application_fact");
        }
    }
}
