using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class LateArrivalsAndAppealRemedies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "resident_override_school_codes",
                table: "registry_application",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "written_application_date",
                table: "registry_application",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "written_application_number",
                table: "registry_application",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "resident_override_school_codes",
                table: "registry_application");

            migrationBuilder.DropColumn(
                name: "written_application_date",
                table: "registry_application");

            migrationBuilder.DropColumn(
                name: "written_application_number",
                table: "registry_application");
        }
    }
}
