// `engine` suite: the tensor engine's benchmark in one run — the `gemm` suite (FMA peak, STREAM triad, SGEMM GFLOP/s
// and fraction of the peak for every shape, one thread and N, managed beside OpenBLAS) followed by the `kernels` suite
// (fused attention, RMSNorm, softmax and token log-prob at realistic sizes). Shape filters go to the gemm part only;
// flags such as --quick, --managed-only or --threads reach both.
namespace Rethinker.Bench.Suites;

public sealed class EngineSuite : IBenchSuite
{
    public string Name => "engine";

    public void Run(BenchReport report)
    {
        var options = report.Options;
        new GemmSuite().Run(new BenchReport("gemm", options));
        var flagsOnly = options with { Rest = options.Rest.Where(a => a.StartsWith("--")).ToList() };
        new KernelsSuite().Run(new BenchReport("kernels", flagsOnly));
    }
}
