using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Appeals.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class AppealSchoolCode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "school_code",
                schema: "appeals",
                table: "appeals",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "school_code",
                schema: "appeals",
                table: "appeals");
        }
    }
}
