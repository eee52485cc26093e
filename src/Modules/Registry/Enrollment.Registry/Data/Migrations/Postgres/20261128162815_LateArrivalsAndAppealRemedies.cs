using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class LateArrivalsAndAppealRemedies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "resident_override_school_codes",
                schema: "registry",
                table: "application",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "written_application_date",
                schema: "registry",
                table: "application",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "written_application_number",
                schema: "registry",
                table: "application",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "resident_override_school_codes",
                schema: "registry",
                table: "application");

            migrationBuilder.DropColumn(
                name: "written_application_date",
                schema: "registry",
                table: "application");

            migrationBuilder.DropColumn(
                name: "written_application_number",
                schema: "registry",
                table: "application");
        }
    }
}
