using TorchLoss.Analysis.Claims;

namespace TorchLoss.Cli.Commands;

/// <summary>The "What the posts say" block of `examples` and `landscape`.</summary>
public static class ClaimsConsole
{
    public const string Heading = "What the posts say, against our numbers:";

    public static void Print(TextWriter output, IReadOnlyList<SourceClaim> claims)
    {
        output.WriteLine(Heading);
        foreach (var (claim, i) in claims.Select((c, i) => (c, i + 1)))
        {
            output.WriteLine($"  {i,2}. {claim.Post}: {claim.Says}");
            output.WriteLine($"      ours: {claim.Ours}");
            output.WriteLine($"      verdict: {claim.VerdictText}");
            output.WriteLine($"      rule: {claim.How}");
        }
        output.WriteLine();
    }
}
