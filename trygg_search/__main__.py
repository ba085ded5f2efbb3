"""python -m trygg_search"""

from .cli import main

if __name__ == "__main__":  # not when a worker process imports this module
    main(prog_name="trygg-search")
