# %% [markdown]
# # ArrayMorph for Spark: quick start
#
# Write a 100x100 array from a DataFrame as a chunked Zarr v3 store, read a 10x10 slice back (Spark
# fetches only the 4 chunks it overlaps), list what the store holds, and plot the slice.
#
# Needs the `arraymorph-spark` package, which bundles the connector
# (`pip install python/dist/arraymorph_spark-*.whl`, built by `mvn -B -DskipTests -pl python -am package`),
# and PySpark. With `SPARK_REMOTE=sc://host:15002` it runs on a Spark Connect server that has the jar.
# This notebook is generated from `examples/python/quickstart.py` (`make_notebook.py`); edit the script.

# %%
import os

import arraymorph
from arraymorph.spark import session

# %% [markdown]
# ## Where and what
# `ARRAYMORPH_LOCATION` picks the store: a local path (the default), `s3://bucket/path` or
# `az://container/path`. For S3 the usual AWS variables apply (`AWS_ACCESS_KEY_ID`,
# `AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL_S3`, `AWS_REGION`).

# %%
LOCATION = os.environ.get("ARRAYMORPH_LOCATION", "/tmp/arraymorph-quickstart.zarr")
DATASET = "temperature"
GRID_SQL = "SELECT i, j, CAST(i * 100 + j AS FLOAT) AS temperature FROM range(100) a(i) CROSS JOIN range(100) b(j)"
WRITE_OPTIONS = {"dims": "i,j", "chunks": "10,10", "codec": "zstd"}
SLICE_FILTER = "i BETWEEN 5 AND 14 AND j BETWEEN 5 AND 14"


# %% [markdown]
# ## The Spark session and store credentials
# `arraymorph.spark.session()` starts Spark with the bundled connector jar (or connects to
# `SPARK_REMOTE`). Credentials go into the session configuration with `arraymorph.configure_s3`:
# Spark executors do not see the notebook's environment, the session configuration travels with
# the query plan.

# %%
def configure_store(spark, location=None, env=None):
    """Sets S3 settings from the environment when the location is on S3; nothing otherwise."""
    location = location or LOCATION
    env = os.environ if env is None else env
    if not location.startswith("s3://"):
        return
    endpoint = env.get("AWS_ENDPOINT_URL_S3")
    arraymorph.configure_s3(
        bucket=location[len("s3://"):].split("/", 1)[0],
        access_key=env.get("AWS_ACCESS_KEY_ID"),
        secret_key=env.get("AWS_SECRET_ACCESS_KEY"),
        endpoint=endpoint,
        region=env.get("AWS_REGION", "us-east-2"),
        use_tls=endpoint is None or endpoint.startswith("https://"),
        addressing_style=endpoint is not None,  # path-style for S3-compatible servers
        spark=spark,
    )


# %% [markdown]
# ## Write an array from a DataFrame
# One row per element: an index column per dimension (`i`, `j`) and a value column, which becomes
# the dataset. Chunks of 10x10, compressed with zstd; each chunk object is written by one task.

# %%
def write_grid(spark):
    grid = spark.sql(GRID_SQL)
    (grid.write.format("arraymorph")
         .mode("overwrite")
         .option("dataset", DATASET)
         .options(**WRITE_OPTIONS)
         .save(LOCATION))


# %% [markdown]
# ## Read a slice
# Filters on the dimension columns become a hyperslab: only the chunks it overlaps are fetched.

# %%
def read_slice(spark):
    return (spark.read.format("arraymorph")
                 .option("dataset", DATASET)
                 .load(LOCATION)
                 .where(SLICE_FILTER))


def list_datasets(spark):
    return spark.read.format("arraymorph").option("list", "datasets").load(LOCATION)


# %% [markdown]
# ## Plot the slice
# `arraymorph.to_numpy` puts the slice's rows (`i`, `j`, value) back into a 2-D NumPy array over
# their bounding box (`to_xarray` also keeps the coordinates); matplotlib shows it.

# %%
def plot_slice(grid, origin, path=None):
    """Shows the slice as an image (saved to ``path`` when given); returns the figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
    extent = (origin[1] - 0.5, origin[1] + grid.shape[1] - 0.5,
              origin[0] + grid.shape[0] - 0.5, origin[0] - 0.5)
    image = ax.imshow(grid, extent=extent, cmap="viridis")
    ax.set_xlabel("j")
    ax.set_ylabel("i")
    ax.set_title(DATASET + "\n" + SLICE_FILTER, fontsize=10)
    fig.colorbar(image, ax=ax)
    if path:
        fig.savefig(path)
    return fig


# %% [markdown]
# ## Run it

# %%
if __name__ == "__main__":
    spark = session()
    configure_store(spark)
    print(arraymorph.current_settings(spark))  # secrets shown as ***
    write_grid(spark)
    slice_df = read_slice(spark)
    slice_df.orderBy("i", "j").show(12)
    list_datasets(spark).show(truncate=False)
    grid, coords = arraymorph.to_numpy(slice_df, return_coords=True)  # a 10x10 array, i and j
    plot_slice(grid, (coords["i"][0], coords["j"][0]), os.environ.get("ARRAYMORPH_PLOT"))
