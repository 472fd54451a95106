using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BankMatching : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "MatchConfidence",
                table: "BankStatementLines",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "MatchedAt",
                table: "BankStatementLines",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PartyId",
                table: "BankStatementLines",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PaymentId",
                table: "BankStatementLines",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Resolution",
                table: "BankStatementLines",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolutionNote",
                table: "BankStatementLines",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ResolvedAt",
                table: "BankStatementLines",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolvedBy",
                table: "BankStatementLines",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SuggestionsJson",
                table: "BankStatementLines",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PartyBankAccounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Iban = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: false),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AddedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
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
