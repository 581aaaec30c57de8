using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostPanel.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddDomainsAndCertificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AcmeChallenges",
                columns: table => new
                {
                    Token = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    KeyAuthorization = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AcmeChallenges", x => x.Token);
                });

            migrationBuilder.CreateTable(
                name: "Certificates",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    ChainFile = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    KeyFile = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Serial = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    NotBefore = table.Column<long>(type: "INTEGER", nullable: true),
                    NotAfter = table.Column<long>(type: "INTEGER", nullable: true),
                    NextRenewal = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAttempt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttempt = table.Column<long>(type: "INTEGER", nullable: true),
                    WarnedDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ServedSerial = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ServedCheckedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Certificates", x => x.Domain);
                });

            migrationBuilder.CreateTable(
                name: "Domains",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Instance = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Challenge = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Domains", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Domains_OrganizationId",
                table: "Domains",
                column: "OrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AcmeChallenges");

            migrationBuilder.DropTable(
                name: "Certificates");

            migrationBuilder.DropTable(
                name: "Domains");
        }
    }
}
