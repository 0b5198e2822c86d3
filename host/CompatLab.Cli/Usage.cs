namespace CompatLab.Cli;

public static class Usage
{
    public const string Text = """
        compatlab - compatible representation learning experiments

        usage:
          compatlab run FILE [--set key=value]... [--force] [--plugins DIR]... [--workers N [--gpus I,J,...] | --slurm [--gres G]] [--cell LABEL]
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
          compatlab export RUN_DIR --out FILE.safetensors [--plugins DIR]...
              Write a finished run's new model for PyTorch: its dense weights as safetensors (the trunk under
              trunk.*, in torchvision's layout for torchvision backbones) and FILE.json describing it. See
              docs/backbones.md for loading it in Python.
          compatlab repro RUN_DIR [--plugins DIR]...
              Run a finished run again from its config.json in a fresh folder (RUN_DIR/repro/<time>/; old models
              trained again, no trackers) and compare results.json value by value: exit 0 when all agree to 1e-6,
              else 1 with a table of the differences. Environment differences (manifest.json) are listed too.
          compatlab results check DOC PRINTED
              Exit 0 when the Markdown document DOC shows the first table of PRINTED (e.g. runs/<name>/summary.md)
              unchanged, else 1 naming each differing row (.ci/check-quickstart.sh runs it on docs/quickstart.md).
          compatlab config show FILE [--set key=value]...
              Print the resolved configuration (files merged, overrides applied, defaults filled, secrets masked).
          compatlab config defaults
              Print the defaults layer under every experiment file (the defaults that name plugins).
          compatlab tracking sync [RUNS_DIR] [--plugins DIR]...
              Send what trackers spooled while their server was away, each record exactly once. RUNS_DIR is the
              runs folder (default: runs); the server and credentials are those the runs were tracked with.
          compatlab doctor [--device cpu|cuda|cuda:N]
              What compatlab runs on: .NET, TorchSharp, the libtorch loaded (path, version, CUDA, cuDNN), devices
              and memory, threads, allocator, CPU and its instruction sets; and whether every libtorch op
              TorchSharp's shim calls exists in that libtorch (exit 1 when not). See docs/gpu.md.
          compatlab plugins [--plugins DIR]...
              List every plugin: kind, name, version, assembly and options with their defaults.
          compatlab data export-images --dataset fashion-mnist --out DIR [--limit-per-class N]
                          [--open-set-fraction F] [--seed S] [--root DIR]
              Write a dataset as PNG files, one folder per class (DIR/images/<class>/), and DIR/list.csv
              (path,label,role) with an open-set split: a fraction F (default 0.3) of the classes, drawn with the
              seed, is held out of training for query (test split) and gallery (training split). See docs/datasets.md.

        options:
          --set key=value   override a config value (dotted key, e.g. new.training.epochs=3); repeatable
          --device D        cpu, cuda or cuda:N (the same as --set device=D)
          --force           run again even when a finished run exists
          --plugins DIR     also load plugins from DIR; repeatable
          --workers N       run matrix cells in N local worker processes at once (logs in <output>/<name>/logs/)
          --slurm           submit matrix cells as one Slurm job array and follow it to the end
          --sbatch-arg ARG  pass ARG to sbatch (e.g. --sbatch-arg --partition=gpu); repeatable
          --gpus I,J,...    workers take these GPUs in turn for cuda cells (default: every visible GPU)
          --gres VALUE      what each Slurm task of a cuda cell asks for (default gpu:1; none: nothing)
          --cell LABEL      run only the matrix cell with this label
          --capacity, --criterion, --scope, --recalibrate-batches, --no-recalibrate, --out   see prune above
        environment:
          COMPATLAB__A__B=value overrides key a.b (after the file, before --set)
          COMPATLAB_LIBTORCH    a libtorch lib folder to run on (e.g. <site-packages>/torch/lib; docs/gpu.md)
          MLFLOW_TRACKING_URI   where the mlflow tracker logs (a server http(s)://...; default: the file store ./mlruns)
          MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME/PASSWORD   the tracking server's credentials

        exit codes: 0 done, 1 a matrix cell failed (tracking sync: records still wait; repro, results check: a difference;
          doctor, selftest gpu: a problem found), 2 a fault you can act on (config, data, plugins, output; one line error:),
          3 internal error (stack in error.log), 130 interrupted (Ctrl+C, SIGTERM); table: docs/reliability.md
        """;
}
