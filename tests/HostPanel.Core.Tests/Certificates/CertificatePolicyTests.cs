using HostPanel.Core.Certificates;

namespace HostPanel.Core.Tests.Certificates;

public sealed class CertificatePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);

    private static CertificateRecord Issued(DateTimeOffset notAfter, DateTimeOffset? renewal = null) => new()
    {
        Domain = "cloud.velo.fr",
        Serial = "0A1B",
        NotBefore = notAfter.AddDays(-90),
        NotAfter = notAfter,
        NextRenewal = renewal ?? notAfter.AddDays(-30),
    };

    [Fact]
    public void ADomainWithoutCertificateIsDueAtOnce()
    {
        Assert.True(CertificatePolicy.Due(new CertificateRecord { Domain = "cloud.velo.fr" }, Now));
    }

    [Fact]
    public void ACertificateIsDueFromItsRenewalTimeOn()
    {
        var record = Issued(Now.AddDays(40), renewal: Now.AddMinutes(1));

        Assert.False(CertificatePolicy.Due(record, Now));
        Assert.True(CertificatePolicy.Due(record, Now.AddMinutes(1)));
    }

    [Fact]
    public void FailuresBackOffToOneAttemptADayAndKeepTheCertificateInUse()
    {
        var record = Issued(Now.AddDays(20), renewal: Now.AddDays(-10));
        var waits = new List<TimeSpan>();
        var at = Now;
        for (var i = 0; i < 6; i++)
        {
            Assert.True(CertificatePolicy.Due(record, at));
            record = CertificatePolicy.Failed(record, at, "DNS points elsewhere");
            Assert.False(CertificatePolicy.Due(record, at.AddMinutes(59)));
            waits.Add(record.NextAttempt!.Value - at);
            at = record.NextAttempt.Value;
        }

        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1)], waits);
        Assert.Equal(6, record.Failures);
        Assert.Equal("DNS points elsewhere", record.LastError);
        Assert.Equal("0A1B", record.Serial);
    }

    [Theory]
    [InlineData(30, 0, 0)]
    [InlineData(14, 0, 14)]
    [InlineData(13, 14, 0)]
    [InlineData(6.5, 14, 7)]
    [InlineData(6.5, 7, 0)]
    [InlineData(2, 14, 3)]
    [InlineData(2, 7, 3)]
    [InlineData(2, 3, 0)]
    [InlineData(-1, 3, 0)]
    [InlineData(-1, 0, 3)]
    public void WarnsOncePerThresholdCrossed(double daysLeft, int alreadyWarned, int expected)
    {
        var record = Issued(Now.AddDays(daysLeft)) with { WarnedDays = alreadyWarned };

        Assert.Equal(expected, CertificatePolicy.WarningDue(record, Now));
    }
}
