// Each test starts one or two host processes; on a 2-core machine two tests at a time are plenty.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
