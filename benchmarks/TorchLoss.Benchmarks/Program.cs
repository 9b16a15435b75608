using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/TorchLoss.Benchmarks -- --filter "*"
// Results (markdown and JSON) land in BenchmarkDotNet.Artifacts/results/.
TorchLoss.Runtime.TorchRuntime.Initialize();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
