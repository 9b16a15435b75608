namespace TorchLoss.Reporting;

/// <summary>
/// What a run's event file says about the run besides its metrics: the hyperparameters and start time of its HParams
/// session, and its settings as markdown for the TEXT tab (tag <see cref="ConfigTag"/>, step 0).
/// </summary>
/// <param name="HParams">Each value a string, a boolean or a number (the HPARAMS table's columns).</param>
/// <param name="GroupName">Sessions with the same group name are one row of the HPARAMS table (repeats of one setting).</param>
public sealed record TensorBoardSession(
    IReadOnlyList<KeyValuePair<string, object>> HParams,
    string GroupName,
    DateTimeOffset Started,
    string ConfigMarkdown)
{
    public const string ConfigTag = "config";
}
