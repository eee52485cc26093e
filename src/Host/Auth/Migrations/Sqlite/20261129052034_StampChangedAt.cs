using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Host.Auth.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class StampChangedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "stamp_changed_at",
                table: "auth_asp_net_users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_auth_asp_net_users_stamp_changed_at",
                table: "auth_asp_net_users",
                column: "stamp_changed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_auth_asp_net_users_stamp_changed_at",
                table: "auth_asp_net_users");

            migrationBuilder.DropColumn(
                name: "stamp_changed_at",
                table: "auth_asp_net_users");
        }
    }
}
