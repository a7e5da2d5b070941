#!/usr/bin/env python3
"""Where the API's CPU goes, from a JFR recording (docs/benchmarks.md, "Profiling").

    python3 bench/tools/jfr-hotspots.py api.jfr                 # threads, categories, top frames
    python3 bench/tools/jfr-hotspots.py api.jfr --grep 'SearchController|StayDisplay'   # inclusive shares

Reads jdk.ExecutionSample events through the JDK's `jfr` tool (JAVA_HOME/bin/jfr or on PATH).
Categories: each sample goes to the first category, walking from the top frame down the stack,
whose pattern a frame matches, so a category counts the time spent in its own code and in the
generic JDK code (HashMap, String, ...) it calls, not in the categories below it.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

CATEGORIES = [
    ('search: index document -> records', r'io\.nomadstays\.search\.StayDisplay'),
    ('search: exchange rates', r'io\.nomadstays\.index\.ExchangeRates'),
    ('search: controller, query, cursors', r'io\.nomadstays\.'),
    ('es client: response parse', r'co\.elastic\.clients\.(json|elasticsearch\.)'),
    ('graphql-java: depth/complexity', r'graphql\.analysis\.'),
    ('graphql-java: parse/validate', r'graphql\.(parser|validation)\.'),
    ('jackson: write (GraphQL response)', r'tools\.jackson\.(databind\.ser|core\.json\.UTF8JsonGenerator)|AbstractJacksonEncoder'),
    ('jackson: read (request body, _source)', r'tools\.jackson\.'),
    ('observation / metrics', r'io\.micrometer\.(observation|core)|Observation'),
    ('context propagation', r'io\.micrometer\.context|ContextPropagation|RestoringThreadLocals'),
    ('dataloader', r'org\.dataloader|DataLoaderDispatch'),
    ('spring graphql: handler methods, binding', r'InvocableHandlerMethod|DataFetcherHandlerMethod|ArgumentResolver|GraphQlArgumentBinder'),
    ('graphql-java: execution', r'^graphql\.'),
    ('spring graphql: other', r'org\.springframework\.graphql'),
    ('spring security', r'org\.springframework\.security'),
    ('webflux / netty', r'reactor\.netty|io\.netty|org\.springframework\.(web|http)'),
    ('es client: http transport', r'org\.apache\.hc|co\.elastic'),
    ('reactor', r'^reactor\.'),
]


def samples(path, depth):
    jfr = os.path.join(os.environ['JAVA_HOME'], 'bin', 'jfr') if os.environ.get('JAVA_HOME') else shutil.which('jfr')
    if not jfr or not os.path.exists(jfr):
        sys.exit('no jfr tool: set JAVA_HOME to a JDK')
    out = subprocess.run([jfr, 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', str(depth), path],
                         check=True, capture_output=True, text=True).stdout
    thread, stack, in_stack = None, [], False
    for line in out.splitlines():
        s = line.strip()
        if s.startswith('jdk.ExecutionSample'):
            if stack:
                yield thread, stack
            thread, stack, in_stack = None, [], False
        elif s.startswith('sampledThread'):
            m = re.search(r'"([^"]*)"', s)
            thread = re.sub(r'\d+', 'N', m.group(1)) if m else s
        elif s.startswith('stackTrace = ['):
            in_stack = True
        elif in_stack:
            if s.startswith(']'):
                in_stack = False
            elif s != '...':
                stack.append(re.sub(r'\s+line:.*', '', s))
    if stack:
        yield thread, stack


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('recording')
    p.add_argument('--grep', help='print the inclusive share of every frame matching this regex')
    p.add_argument('--top', type=int, default=25)
    p.add_argument('--stack-depth', type=int, default=256)
    a = p.parse_args()
    threads, cats, leaf, incl = (collections.Counter() for _ in range(4))
    total = 0
    for thread, stack in samples(a.recording, a.stack_depth):
        total += 1
        threads[thread] += 1
        leaf[stack[0].split('(')[0]] += 1
        name = 'other'
        for frame in stack:
            hit = next((c for c, rx in CATEGORIES if re.search(rx, frame)), None)
            if hit:
                name = hit
                break
        cats[name] += 1
        if a.grep:
            for frame in set(stack):
                if re.search(a.grep, frame):
                    incl[frame] += 1
    if not total:
        sys.exit('no execution samples (was the recording made with settings=profile or default?)')
    show = lambda title, counter, n: (print(f'\n{title}'), [print(f'{v:7d} {100 * v / total:5.1f}%  {k}') for k, v in counter.most_common(n)])
    print(f'{total} execution samples')
    show('threads', threads, 10)
    show('categories (leaf-first)', cats, len(CATEGORIES) + 1)
    show('top frames (self)', leaf, a.top)
    if a.grep:
        show(f'frames matching {a.grep!r} (inclusive)', incl, a.top)


if __name__ == '__main__':
    main()
