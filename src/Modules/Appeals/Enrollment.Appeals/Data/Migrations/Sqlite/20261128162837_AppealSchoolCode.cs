using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Appeals.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class AppealSchoolCode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "school_code",
                table: "appeals_appeals",
                type: "TEXT",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "school_code",
                table: "appeals_appeals");
        }
    }
}
