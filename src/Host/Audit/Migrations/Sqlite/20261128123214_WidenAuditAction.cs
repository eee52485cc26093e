using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Host.Audit.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class WidenAuditAction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
