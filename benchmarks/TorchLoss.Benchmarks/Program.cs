using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/TorchLoss.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
