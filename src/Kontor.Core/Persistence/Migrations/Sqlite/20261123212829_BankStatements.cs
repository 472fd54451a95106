using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BankStatements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StatementAccountId",
                table: "CompanyBankAccounts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BankStatements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    BankAccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountIdentifier = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StatementId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StatementNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    OpeningDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    OpeningBalance = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosingDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ClosingBalance = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalCredits = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalDebits = table.Column<long>(type: "INTEGER", nullable: false),
                    LineCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    FileSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    ImportedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BankStatements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BankStatementLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StatementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    IsReversal = table.Column<bool>(type: "INTEGER", nullable: false),
                    BookingDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ValueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CounterpartyName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CounterpartyAccount = table.Column<string>(type: "TEXT", maxLength: 34, nullable: true),
                    CounterpartyAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CounterpartyNip = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    EndToEndId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    BankReference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreditorReference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TransactionCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    IsSplitPayment = table.Column<bool>(type: "INTEGER", nullable: false),
                    SplitPaymentVat = table.Column<long>(type: "INTEGER", nullable: true),
                    SplitPaymentInvoice = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SplitPaymentTaxId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    RawDetails = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BankStatementLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BankStatementLines_BankStatements_StatementId",
                        column: x => x.StatementId,
                        principalTable: "BankStatements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_CounterpartyAccount",
                table: "BankStatementLines",
                column: "CounterpartyAccount");

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_CounterpartyNip",
                table: "BankStatementLines",
                column: "CounterpartyNip");

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_StatementId_Position",
                table: "BankStatementLines",
                columns: new[] { "StatementId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_Status_Currency_Amount",
                table: "BankStatementLines",
                columns: new[] { "Status", "Currency", "Amount" });

            migrationBuilder.CreateIndex(
                name: "IX_BankStatements_BankAccountId_StatementId_StatementNumber_OpeningDate_ClosingDate",
                table: "BankStatements",
                columns: new[] { "BankAccountId", "StatementId", "StatementNumber", "OpeningDate", "ClosingDate" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BankStatements_ClosingDate_ImportedAt",
                table: "BankStatements",
                columns: new[] { "ClosingDate", "ImportedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BankStatementLines");

            migrationBuilder.DropTable(
                name: "BankStatements");

            migrationBuilder.DropColumn(
                name: "StatementAccountId",
                table: "CompanyBankAccounts");
        }
    }
}
