"""python -m trygg_search"""

from .cli import run

if __name__ == "__main__":  # not when a worker process imports this module
    run(prog_name="trygg-search")
