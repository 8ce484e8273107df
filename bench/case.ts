// What a case of the bench is: a floor, and the sides timed against it run by run. A side is any
// function that runs once, checks that it did its job and answers a Sample: a run of a bundle
// (bench/action-cases.ts), or work timed in this process, such as a zipper.

/** The requests one run made to the stand-in. */
export interface Calls {
  /** Requests per route, `listfunctions` counted by page. */
  perRoute: ReadonlyMap<string, number>;
  /** Lists read whole, each of one page or more. */
  lists: number;
}

/** One run: its time, and its calls when it talks to the stand-in. */
export interface Sample {
  ms: number;
  calls?: Calls;
}

export interface Side {
  /** How the table names it: a bundle's path, a zipper's name. */
  name: string;
  /** The ratio this side must reach, where the case's is not its own: the others are shown. */
  target?: number;
  run: () => Promise<Sample>;
}

export interface Case {
  name: string;
  what: string;
  /** The ratio to reach; none: measured, not judged. */
  target?: number;
  floor: Side;
  /** Each timed against the floor, on a row of its own. */
  sides: Side[];
  /**
   * For cases that call the API: how many more lists than its floor a side may read in a run.
   * Every other route must see exactly the floor's requests.
   */
  extraLists?: number;
}
