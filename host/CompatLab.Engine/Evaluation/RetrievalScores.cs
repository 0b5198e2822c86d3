namespace CompatLab.Engine.Evaluation;

/// <summary>One retrieval test's numbers as the results table shows them.</summary>
public sealed record RetrievalScores(double Map, double MapAtK, int K, double RecallAt1);
