// CLI tests swap the process-wide Console.Out/Console.Error to read what a verb printed; run in parallel, one test's
// capture picks up (or loses) another's output. They run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
