using System.CommandLine;
using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss info`: TorchSharp and libtorch versions, BLAS, thread settings and devices of this machine.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("info", "Show the TorchSharp and libtorch versions, the BLAS in use, thread counts and CUDA devices.") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    TorchLossVersion = TorchRuntime.TorchLossVersion, TorchSharpVersion = TorchRuntime.TorchSharpVersion,
                    LibtorchVersion = TorchRuntime.LibTorchVersion, Blas = TorchRuntime.BlasName,
                    BlasReproducibility = TorchRuntime.BlasReproducibility, Processor = TorchRuntime.Processor, IntraOpThreads = TorchRuntime.Threads,
                    BlasThreads = TorchRuntime.BlasThreads, ProcessorCount = Environment.ProcessorCount,
                    CudaDevices = TorchRuntime.CudaIsAvailable ? TorchRuntime.CudaDeviceCount : 0,
                }, Reporting.JsonFiles.Compact));
                return ExitCodes.Ok;
            }
            Console.WriteLine($"TorchSharp    {TorchRuntime.TorchSharpVersion}");
            Console.WriteLine($"libtorch      {TorchRuntime.LibTorchVersion}");
            Console.WriteLine($"BLAS          {TorchRuntime.BlasName}");
            Console.WriteLine($"MKL_CBWR      {TorchRuntime.BlasReproducibility ?? "not oneMKL"}");
            Console.WriteLine($"intra-op      {TorchRuntime.Threads} thread(s)");
            Console.WriteLine($"BLAS threads  {TorchRuntime.BlasThreads?.ToString() ?? "not controllable"}");
            Console.WriteLine($"CPU           {TorchRuntime.Processor}, {Environment.ProcessorCount} core(s)");
            Console.WriteLine($"CUDA          {(TorchRuntime.CudaIsAvailable ? $"{TorchRuntime.CudaDeviceCount} device(s)" : "not available")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
