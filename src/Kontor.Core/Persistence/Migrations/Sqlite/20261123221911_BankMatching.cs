using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BankMatching : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MatchConfidence",
                table: "BankStatementLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MatchedAt",
                table: "BankStatementLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PartyId",
                table: "BankStatementLines",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PaymentId",
                table: "BankStatementLines",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Resolution",
                table: "BankStatementLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolutionNote",
                table: "BankStatementLines",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ResolvedAt",
                table: "BankStatementLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolvedBy",
                table: "BankStatementLines",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SuggestionsJson",
                table: "BankStatementLines",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PartyBankAccounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Iban = table.Column<string>(type: "TEXT", maxLength: 34, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartyBankAccounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PartyBankAccounts_Parties_PartyId",
                        column: x => x.PartyId,
                        principalTable: "Parties",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_PaymentId",
                table: "BankStatementLines",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_PartyBankAccounts_Iban",
                table: "PartyBankAccounts",
                column: "Iban");

            migrationBuilder.CreateIndex(
                name: "IX_PartyBankAccounts_PartyId_Iban",
                table: "PartyBankAccounts",
                columns: new[] { "PartyId", "Iban" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PartyBankAccounts");

            migrationBuilder.DropIndex(
                name: "IX_BankStatementLines_PaymentId",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "MatchConfidence",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "MatchedAt",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "PartyId",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "PaymentId",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "Resolution",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "ResolutionNote",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "ResolvedBy",
                table: "BankStatementLines");

            migrationBuilder.DropColumn(
                name: "SuggestionsJson",
                table: "BankStatementLines");
        }
    }
}
