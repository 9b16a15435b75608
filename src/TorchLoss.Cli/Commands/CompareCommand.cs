using System.CommandLine;
using System.Globalization;
using TorchLoss.Comparison;
using TorchLoss.Heads;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss compare`: the Golik-style study on MNIST with plots and a report.</summary>
public static class CompareCommand
{
    public static Command Create(DataCommandServices? services = null)
    {
        var quick = new Option<bool>("--quick") { Description = "Under five minutes on a 2-core CPU: 20,000 training images, 2 seeds, 6 epochs." };
        var full = new Option<bool>("--full") { Description = "The long study: 5 seeds, 40 epochs, a wider learning-rate grid and init-scale sweep." };
        var output = PathOptions.OptionalPath("--out", "Output folder (default runs/compare-PRESET): new, empty or an earlier study's (a run folder or other files are refused). Completed runs in it are reused.").Shows("DIR");
        var heads = new Option<string?>("--heads") { HelpName = "HEAD,...", Description = $"Comma-separated heads (default {string.Join(",", StudyConfig.Default.Heads)})." };
        var models = new Option<string?>("--models") { HelpName = "MODEL;...", Description = "Semicolon-separated models (default \"mlp:256,256;linear\")." };
        var seeds = NumericOptions.OptionalInt("--seeds", $"Seeds per arm ({PresetDefaults(c => c.Seeds)}).", min: 1).Shows("N");
        var epochs = NumericOptions.OptionalInt("--epochs", $"Epochs per run from random weights ({PresetDefaults(c => c.Epochs)}).", min: 1).Shows("N");
        var fineTune = NumericOptions.OptionalInt("--fine-tune-epochs",
            $"Epochs of fine-tuning after cross-entropy, 0 for no fine-tuning arms ({PresetDefaults(c => c.FineTuneEpochs)}).", min: 0).Shows("N");
        var scales = new Option<string?>("--init-scales") { HelpName = "S1,S2,...", Description = $"Comma-separated init scales for the sweep, each up to {Numbers.Limit(TrainOptions.MaxScale)} ({PresetDefaults(c => string.Join(",", c.InitScales))})." };
        var grid = new Option<string?>("--lr-grid") { HelpName = "R1,R2,...", Description = $"Comma-separated learning rates tried per head on validation, each up to {Numbers.Limit(TrainOptions.MaxScale)} ({PresetDefaults(c => string.Join(",", c.LearningRates))})." };
        var headGrid = new Option<string[]>("--lr-grid-for")
        {
            HelpName = "HEAD=R1,R2,...",
            Description = $"A grid of its own for one head, HEAD=R1,R2,... (e.g. {LogitSquaredErrorHead.HeadName}=0.003,0.01,0.03); repeat it for more heads. Without one, {string.Join("; ", StudyConfig.HeadDefaultLearningRates.Select(kv => $"{kv.Key} tries {string.Join(",", kv.Value)}"))}.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var trueClassWeight = NumericOptions.OptionalDouble("--true-class-weight", $"{LogitSquaredErrorHead.HeadName}: weight k of the true class's term (Hui & Belkin's rescaling), up to {Numbers.Limit(TrainOptions.MaxScale)}.", positive: true, max: TrainOptions.MaxScale).Shows("K");
        var trueClassTarget = NumericOptions.OptionalDouble("--true-class-target", $"{LogitSquaredErrorHead.HeadName}: target M of the true class's logit, up to {Numbers.Limit(TrainOptions.MaxScale)}.", positive: true, max: TrainOptions.MaxScale).Shows("M");
        var schedule = new Option<string?>("--schedule")
        {
            HelpName = "constant|newbob|step:EPOCHS:FACTOR",
            Description = $"Learning-rate schedule of every run, tuning included ({LearningRateSchedule.Syntax}; default constant): the tuned rate is where it starts.",
        };
        var tuningEpochs = NumericOptions.OptionalInt("--tuning-epochs", $"Epochs of each learning-rate trial ({PresetDefaults(c => c.TuningEpochs)}).", min: 1).Shows("N");
        var weightDecay = NumericOptions.OptionalDouble("--weight-decay", "SGD weight decay (L2) of every run, >= 0 (default 0).", min: 0).Shows("LAMBDA");
        var labelNoise = NumericOptions.OptionalDouble("--label-noise",
            "Share of training labels every run sees changed to another class, in [0, 1) (the same labels for every run; validation and test stay clean).", min: 0, max: 1, belowMax: true).Shows("FRACTION");
        var momentum = NumericOptions.OptionalDouble("--momentum", "SGD momentum of every run, in [0, 1) (default 0.9).", min: 0, max: 1, belowMax: true).Shows("MU");
        var tuningSeeds = NumericOptions.OptionalInt("--tuning-seeds", "Seeds of each learning-rate trial (default 1): the rate with the lowest mean validation error is chosen.", min: 1).Shows("N");
        var trainLimit = NumericOptions.OptionalInt("--train-limit", "Use only the first K training images.", min: 1).Shows("K");
        var target = NumericOptions.OptionalDouble("--target-accuracy", "Validation accuracy for the \"epochs to reach\" column, in (0, 1) (default 0.9).", positive: true, max: 1, belowMax: true).Shows("ACCURACY");
        var device = new Option<string?>("--device") { HelpName = "cpu|cuda|cuda:N", Description = "cpu, cuda or cuda:N." };
        var engine = new Option<string?>("--engine") { HelpName = "ENGINE", Description = "auto (default: fused where it can run), fused, autograd or closed-form; see train --help." };
        var threads = NumericOptions.Threads("--threads", "Intra-op threads: the fused engine's own threads (default: one per core), or libtorch's for autograd (default: 1).").Shows("N");
        var blasThreads = NumericOptions.BlasThreads("--blas-threads", "BLAS (oneMKL) threads inside each matrix product (default: 1 with the fused engine; with autograd 1 for small steps and one per core from batch x parameters = 2^27, batch 499 on the 784-256-256-10 MLP).").Shows("N");
        var dataset = new Option<string?>("--dataset") { HelpName = "NAME|csv:PATH|tsv:PATH", Description = TableCliOptions.DatasetHelp };
        var validationSize = NumericOptions.OptionalInt("--validation-size",
            "Training examples held out for choosing learning rates (default: the last 10000 images, or 20 % of a table's training rows, stratified).", min: 1).Shows("N");
        var table = new TableCliOptions();
        var dataDir = PathOptions.OptionalPath("--data-dir", "Dataset directory.").Shows("DIR");
        var png = new Option<bool>("--png") { Description = "Also write each of the study's plots as a PNG beside its SVG (plots/*.png), drawn as plot --out FILE.png draws." };
        var configFile = PathOptions.OptionalPath("--config",
            "Settings from a file (JSON or YAML, keys as in a study's summary.json \"config\"; a summary.json itself works): options given beside it win. " +
            SettingsFile.Rules).Shows("FILE");
        var distribution = new StudyDistributionOptions();
        heads.With(Completions.Heads);
        engine.With(Completions.Engines);
        schedule.With("constant", "step:", "newbob");
        device.With(Completions.Devices);
        dataset.With(() => Completions.Datasets((services ?? DataCommandServices.Default()).Manifest));
        var command = new Command("compare",
            "Run the cross-entropy vs squared-error study (Golik et al. 2013) on MNIST: each head from random weights, cross-entropy " +
            "then squared-error fine-tuning, an init-scale sweep; learning rates picked per head on validation; several seeds; " +
            "writes report.md, report.html, summary.json, summary.csv and SVG plots.")
        {
            quick, full, output, heads, models, seeds, epochs, fineTune, scales, grid, tuningEpochs, trainLimit, target, device, engine, threads, blasThreads, dataset, dataDir,
        };
        command.Options.Add(validationSize);
        command.Options.Add(headGrid);
        command.Options.Add(trueClassWeight);
        command.Options.Add(trueClassTarget);
        command.Options.Add(schedule);
        command.Options.Add(tuningSeeds);
        command.Options.Add(momentum);
        command.Options.Add(labelNoise);
        command.Options.Add(weightDecay);
        command.Options.Add(configFile);
        command.Options.Add(png);
        foreach (var option in table.All()) command.Options.Add(option);
        foreach (var option in distribution.All()) command.Options.Add(option);
        OptionGroups.Set(command,
            ("Size of the study", [quick, full, seeds, epochs, fineTune, scales, trainLimit]),
            ("Heads and models", [heads, models, trueClassWeight, trueClassTarget]),
            ("Learning rates and optimisation", [grid, headGrid, tuningEpochs, tuningSeeds, schedule, momentum, weightDecay]),
            ("Data", [dataset, dataDir, validationSize, labelNoise, target]),
            ("Tables (--dataset csv:PATH, tsv:PATH or a manifest table)", [.. table.All()]),
            ("Device and speed", [device, engine, threads, blasThreads]),
            ("Where it goes, settings files", [output, configFile, png]),
            ("Planning, shards and Slurm", [.. distribution.All()]));
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(quick) && parse.GetValue(full)) throw new UserException("choose --quick or --full, not both");
            distribution.Validate(parse);
            var plotsAsPng = parse.GetValue(png);
            if (plotsAsPng && new Option[] { distribution.Plan, distribution.DryRun, distribution.Shard, distribution.Slurm }
                    .FirstOrDefault(o => TrainOptions.Given(parse, o)) is { } mode)
                throw new UserException($"--png goes with a study run or --report, not {mode.Name}");
            if (plotsAsPng) PngExport.RequireFont();
            var file = parse.GetValue(configFile);
            if (file is not null && (parse.GetValue(quick) || parse.GetValue(full)))
                throw new UserException("--config gives the study's settings (its preset among them): drop --quick or --full, or the file");
            var config = file is not null ? SettingsFile.ReadStudy(file)
                : StudyConfig.FromPreset(parse.GetValue(quick) ? "quick" : parse.GetValue(full) ? "full" : "default");
            var run = services ?? DataCommandServices.Default();
            var datasetName = TableCliOptions.Dataset(parse.GetValue(dataset) ?? config.Dataset);
            var tableOptions = table.ToOptions(parse, datasetName, run.Manifest, config.Table);
            // A settings file names its own models and epochs; the preset's are sized to a table's features.
            if (tableOptions is not null && file is null)
                config = config.ForTable(TableFeatureCount(datasetName, tableOptions, run.Store(parse.GetValue(dataDir)), cancellationToken));
            config = config with
            {
                Dataset = datasetName,
                ValidationSize = parse.GetValue(validationSize) ?? config.ValidationSize,
                Table = tableOptions,
                Heads = parse.GetValue(heads) is { } h ? OptionParsing.Strings("--heads", h) : config.Heads,
                Models = parse.GetValue(models) is { } m ? OptionParsing.Strings("--models", m, ';') : config.Models,
                Seeds = parse.GetValue(seeds) ?? config.Seeds,
                Epochs = parse.GetValue(epochs) ?? config.Epochs,
                FineTuneEpochs = parse.GetValue(fineTune) ?? config.FineTuneEpochs,
                InitScales = parse.GetValue(scales) is { } s ? OptionParsing.Doubles("--init-scales", s, TrainOptions.MaxScale) : config.InitScales,
                LearningRates = parse.GetValue(grid) is { } g ? OptionParsing.Doubles("--lr-grid", g, TrainOptions.MaxScale) : config.LearningRates,
                HeadLearningRates = parse.GetValue(headGrid) is { Length: > 0 } own ? HeadGrids(own, config.HeadLearningRates) : config.HeadLearningRates,
                TrueClassWeight = parse.GetValue(trueClassWeight) ?? config.TrueClassWeight,
                TrueClassTarget = parse.GetValue(trueClassTarget) ?? config.TrueClassTarget,
                TuningEpochs = parse.GetValue(tuningEpochs) ?? config.TuningEpochs,
                TuningSeeds = parse.GetValue(tuningSeeds) ?? config.TuningSeeds,
                Momentum = parse.GetValue(momentum) ?? config.Momentum,
                LabelNoise = parse.GetValue(labelNoise) ?? config.LabelNoise,
                WeightDecay = parse.GetValue(weightDecay) ?? config.WeightDecay,
                Schedule = parse.GetValue(schedule) ?? config.Schedule,
                TrainLimit = parse.GetValue(trainLimit) ?? config.TrainLimit,
                TargetAccuracy = parse.GetValue(target) ?? config.TargetAccuracy,
                Device = parse.GetValue(device) ?? config.Device,
                Engine = parse.GetValue(engine) ?? config.Engine,
                Threads = parse.GetValue(threads) ?? config.Threads,
                BlasThreads = parse.GetValue(blasThreads) ?? config.BlasThreads,
                DataDirectory = parse.GetValue(dataDir) ?? config.DataDirectory,
            };
            config.Validate();
            var folder = parse.GetValue(output) ?? DefaultFolder(config);
            PathOptions.RefuseControlCharacters(folder, parse.GetValue(output) is null ? "the study folder" : "--out");
            var reproduce = "torchloss " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            if (parse.GetValue(distribution.DryRun))
                return Task.FromResult(ComparePlanConsole.DryRun(config, folder, parse.GetValue(distribution.Shards), run.Output, run, cancellationToken));
            if (parse.GetValue(distribution.Plan))
                return Task.FromResult(ComparePlanConsole.Print(config, folder, parse.GetValue(distribution.Shards), parse.GetValue(distribution.Json), run.Output));
            if (parse.GetValue(distribution.Slurm))
            {
                StudyFolder.RequireUsable(folder);
                var submit = SlurmScripts.Write(config, folder, distribution.SlurmSettings(parse), StudyCommandLine.Executable());
                run.Output.WriteLine($"Slurm scripts for the study are in {Path.Combine(Path.GetFullPath(folder), SlurmScripts.Folder)}; submit them with:");
                run.Output.WriteLine($"  {submit}");
                run.Output.WriteLine("which runs:");
                foreach (var line in SlurmScripts.SbatchLines(folder)) run.Output.WriteLine($"  {line}");
                return Task.FromResult(ExitCodes.Ok);
            }
            try
            {
                if (parse.GetValue(distribution.Shard) is { } shard)
                    return Task.FromResult(CompareShardConsole.RunShard(config, folder, shard, run, cancellationToken));
                if (parse.GetValue(distribution.Report))
                    return Task.FromResult(CompareShardConsole.Report(config, folder, reproduce, run, plotsAsPng, cancellationToken));
                return Task.FromResult(CompareConsole.Run(config, folder, reproduce, run, parse.GetValue(distribution.Json), plotsAsPng, cancellationToken));
            }
            catch (IOException e) when (CliRunner.IsDiskFull(e))
            {
                throw new UserException($"{CliRunner.FirstLine(e.Message)}; free some space, then run the same command again: finished runs are kept");
            }
        });
        return command;
    }

    /// <summary>--lr-grid-for HEAD=R1,R2,... values over the settings file's grids (a head named again replaces its grid).</summary>
    static IReadOnlyDictionary<string, IReadOnlyList<double>> HeadGrids(string[] values, IReadOnlyDictionary<string, IReadOnlyList<double>>? baseline)
    {
        var grids = new Dictionary<string, IReadOnlyList<double>>(baseline ?? new Dictionary<string, IReadOnlyList<double>>());
        foreach (var value in values)
        {
            var equals = value.IndexOf('=');
            if (equals <= 0 || equals == value.Length - 1)
                throw new UserException($"--lr-grid-for '{value}': expected HEAD=R1,R2,... (e.g. {LogitSquaredErrorHead.HeadName}=0.01,0.03,0.1)");
            grids[value[..equals].Trim()] = OptionParsing.Doubles("--lr-grid-for", value[(equals + 1)..], TrainOptions.MaxScale);
        }
        return grids;
    }

    /// <summary>How many feature columns a table dataset has (a table of the manifest is fetched first): its models' width follows.</summary>
    static int TableFeatureCount(string dataset, Data.Tables.TableOptions options, Data.DatasetStore store, CancellationToken cancellationToken)
    {
        if (Data.Tables.TableDatasets.TryParse(dataset, out var file))
            return Data.Tables.TableScan.Check(file.Path, file.Separator, options).Layout.FeatureIndices.Count;
        var files = store.EnsureAsync(dataset, cancellationToken: cancellationToken).GetAwaiter().GetResult();
        var tableFile = files.TableFile;
        return Data.Tables.TableScan.Check(tableFile.Path, tableFile.Separator, files.Spec.Table!.Options(options)).Layout.FeatureIndices.Count;
    }

    /// <summary>runs/compare-PRESET for MNIST, runs/compare-DATASET-PRESET otherwise (a table file by its name without extension).</summary>
    static string DefaultFolder(StudyConfig config)
    {
        var dataset = Data.Tables.TableDatasets.TryParse(config.Dataset, out var file)
            ? Path.GetFileNameWithoutExtension(file.Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file.Path[..^3] : file.Path)
            : config.Dataset;
        return Path.Combine("runs", dataset == "mnist" ? $"compare-{config.Preset}" : $"compare-{dataset}-{config.Preset}");
    }

    /// <summary>"default D; --quick Q, --full F; tables ...": a setting's value in each preset, read from the presets
    /// themselves so that the help never disagrees with them.</summary>
    static string PresetDefaults<T>(Func<StudyConfig, T> setting)
    {
        string Of(StudyConfig c) => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", setting(c));
        string Tables(StudyConfig c) => Of(c.ForTable(features: 1));
        return $"default {Of(StudyConfig.Default)}; --quick {Of(StudyConfig.Quick)}, --full {Of(StudyConfig.Full)}; on a table " +
               $"{Tables(StudyConfig.Default)}, {Tables(StudyConfig.Quick)} and {Tables(StudyConfig.Full)}";
    }
}
