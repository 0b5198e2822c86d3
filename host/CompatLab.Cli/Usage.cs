namespace CompatLab.Cli;

public static class Usage
{
    public const string Text = """
        compatlab - compatible representation learning experiments

        usage:
          compatlab run FILE [--set key=value]... [--force] [--plugins DIR]... [--workers N | --slurm] [--cell LABEL]
              Run an experiment file. A file with a "matrix" section runs every cell, then prints one table
              (also written to <output>/<name>/summary.md, .csv, .json and .png).
              Running the same command again resumes an interrupted run and skips finished ones.
          compatlab matrix FILE [--set key=value]... [--force] [--plugins DIR]...
              The same as run, for matrix files.
          compatlab prune RUN_DIR --capacity C[,C...] [--criterion NAME] [--scope layer|global]
                          [--recalibrate-batches B | --no-recalibrate] [--out DIR] [--plugins DIR]...
              Prune a finished run's new model to each capacity C in (0, 1] (fraction of the masked layers' weights
              kept; no retraining) and evaluate every subnetwork: sub self-test and sub-to-dense cross-test (mAP,
              mAP@k, R@1) and weights kept. Writes per capacity the pruned model (capacity-C/model.bin, masks.bin)
              and results.md/.csv/.json plus map-vs-capacity.png to RUN_DIR/pruned/<criterion>-<scope>[-norecal]/
              or --out. Criteria: learned-score (needs a PrunNet model; the default when the model has scores),
              magnitude (the default otherwise), random, taylor. BatchNorm is recalibrated under each mask on B
              training batches (default 50). See docs/pruning.md.
          compatlab config show FILE [--set key=value]...
              Print the resolved configuration (files merged, overrides applied, defaults filled, secrets masked).
          compatlab tracking sync [RUNS_DIR] [--plugins DIR]...
              Send what trackers spooled while their server was away, each record exactly once. RUNS_DIR is the
              runs folder (default: runs); the server and credentials are those the runs were tracked with.
          compatlab plugins [--plugins DIR]...
              List every plugin: kind, name, version, assembly and options with their defaults.
          compatlab data export-images --dataset fashion-mnist --out DIR [--limit-per-class N]
                          [--open-set-fraction F] [--seed S] [--root DIR]
              Write a dataset as PNG files, one folder per class (DIR/images/<class>/), and DIR/list.csv
              (path,label,role) with an open-set split: a fraction F (default 0.3) of the classes, drawn with the
              seed, is held out of training for query (test split) and gallery (training split). See docs/datasets.md.

        options:
          --set key=value   override a config value (dotted key, e.g. new.training.epochs=3); repeatable
          --force           run again even when a finished run exists
          --plugins DIR     also load plugins from DIR; repeatable
          --workers N       run matrix cells in N local worker processes at once (logs in <output>/<name>/logs/)
          --slurm           submit matrix cells as one Slurm job array and follow it to the end
          --sbatch-arg ARG  pass ARG to sbatch (e.g. --sbatch-arg --partition=gpu); repeatable
          --cell LABEL      run only the matrix cell with this label
          --capacity, --criterion, --scope, --recalibrate-batches, --no-recalibrate, --out   see prune above
        environment:
          COMPATLAB__A__B=value overrides key a.b (after the file, before --set)
          MLFLOW_TRACKING_URI   where the mlflow tracker logs (a server http(s)://...; default: the file store ./mlruns)
          MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME/PASSWORD   the tracking server's credentials

        exit codes: 0 done, 1 a run or cell failed (tracking sync: records still wait), 2 bad input (config, data, plugins), 130 interrupted
        """;
}
