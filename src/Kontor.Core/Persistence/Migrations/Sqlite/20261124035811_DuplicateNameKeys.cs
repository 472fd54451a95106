using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DuplicateNameKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NameWord1",
                table: "Parties",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameWord2",
                table: "Parties",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Parties_CityKey_NameWord1",
                table: "Parties",
                columns: new[] { "CityKey", "NameWord1" });

            migrationBuilder.CreateIndex(
                name: "IX_Parties_CityKey_NameWord2",
                table: "Parties",
                columns: new[] { "CityKey", "NameWord2" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Parties_CityKey_NameWord1",
                table: "Parties");

            migrationBuilder.DropIndex(
                name: "IX_Parties_CityKey_NameWord2",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "NameWord1",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "NameWord2",
                table: "Parties");
        }
    }
}
