using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class MicrodistrictHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "microdistrict_changes",
                schema: "schools",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    rule_id = table.Column<Guid>(type: "uuid", nullable: true),
                    before = table.Column<string>(type: "text", nullable: false),
                    after = table.Column<string>(type: "text", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reverts_change_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_microdistrict_changes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_microdistrict_changes_district_code",
                schema: "schools",
                table: "microdistrict_changes",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_microdistrict_changes_school_code_id",
                schema: "schools",
                table: "microdistrict_changes",
                columns: new[] { "school_code", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "microdistrict_changes",
                schema: "schools");
        }
    }
}
