using TorchLoss.Runtime;

namespace TorchLoss.Training;

/// <summary>Where and with what a run ran; written into config.json next to the settings.</summary>
public sealed record RunEnvironment(
    string TorchLossVersion,
    string LibtorchVersion,
    string? TorchSharpVersion,
    string DotnetVersion,
    string OperatingSystem,
    string Blas,
    string Device,
    string? Engine,
    string? EngineNote,
    int IntraOpThreads,
    int? BlasThreads,
    int ProcessorCount,
    string ModelDescription,
    long ParameterCount,
    string HeadDescription,
    string LossConvention,
    string DataDescription,
    string? InitFromSha256,
    RunData? Data = null)
{
    /// <summary>The CPU (<see cref="TorchRuntime.Processor"/>): the same run on another CPU model may differ in the last bits.</summary>
    public string? Processor { get; init; }

    /// <summary>oneMKL's reproducibility mode (<see cref="TorchRuntime.BlasReproducibility"/>).</summary>
    public string? BlasReproducibility { get; init; }
}

/// <summary>What the data of a run was, beyond its settings: each class index's name, and for a table where its examples
/// came from and the standardisation its model expects (so the model can be applied to new rows the same way).</summary>
public sealed record RunData(
    IReadOnlyList<string> Classes,
    int Features,
    Data.Tables.TableProvenance? Table,
    Data.Tables.FeatureStandardization? Standardization)
{
    public static RunData Of(Data.ClassificationData data) => new(data.ClassNames, data.Features, data.TableProvenance, data.FeatureStandardization);
}
