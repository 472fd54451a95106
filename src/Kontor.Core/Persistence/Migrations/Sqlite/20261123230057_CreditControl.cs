using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CreditControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CreditOverdueDaysThreshold",
                table: "CompanyProfiles",
                type: "INTEGER",
                nullable: false,
                defaultValue: 30); // existing companies get the documented default threshold, not 0 days
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CreditOverdueDaysThreshold",
                table: "CompanyProfiles");
        }
    }
}
