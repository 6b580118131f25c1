// The main() of every fuzz test in CI (ferry_fuzz_test in fuzz.bzl): runs
// the target's LLVMFuzzerTestOneInput on every file of its checked-in
// corpus, then on a fixed number of deterministic mutations of them
// (mutator.h), and prints how many inputs ran.
//
//   TARGET [--runs=N] [--seed=S] [--max_len=BYTES] [--dict=FILE] CORPUS_DIR...
//
// A crash (signal, abort, uncaught exception, or one input running past
// kTimeoutSeconds) fails the test: the input is printed escaped on stderr
// and written to $TEST_UNDECLARED_OUTPUTS_DIR/crash-input (Bazel keeps it
// in bazel-testlogs/<target>/test.outputs/), ready to be copied into the
// corpus as a regression input. Real, coverage-guided fuzzing of the same
// targets is tools/fuzz/run_libfuzzer.sh.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "tools/fuzz/mutator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Longer than any parser may take on one small input, even under a loaded
// machine; the test's own timeout would otherwise kill it without the input.
constexpr unsigned kTimeoutSeconds = 25;

// The input being run, for the crash handler.
const uint8_t* g_input = nullptr;
size_t g_input_size = 0;
char g_crash_path[4096] = "";

void WriteAll(int fd, const char* text, size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, text, size);
    if (written <= 0) return;
    text += written;
    size -= static_cast<size_t>(written);
  }
}

void WriteText(int fd, const char* text) { WriteAll(fd, text, strlen(text)); }

// The input as a C string literal body on stderr; async-signal-safe.
void WriteEscaped(const uint8_t* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  char buffer[256];
  size_t used = 0;
  for (size_t i = 0; i < size; ++i) {
    if (used + 4 > sizeof(buffer)) {
      WriteAll(STDERR_FILENO, buffer, used);
      used = 0;
    }
    const uint8_t c = data[i];
    if (c == '\\' || c == '"') {
      buffer[used++] = '\\';
      buffer[used++] = static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      buffer[used++] = static_cast<char>(c);
    } else {
      buffer[used++] = '\\';
      buffer[used++] = 'x';
      buffer[used++] = kHex[c >> 4];
      buffer[used++] = kHex[c & 15];
    }
  }
  WriteAll(STDERR_FILENO, buffer, used);
}

void OnCrash(int signal_number) {
  WriteText(STDERR_FILENO, signal_number == SIGALRM
                               ? "\nfuzz: input ran too long (a hang); input:\n\""
                               : "\nfuzz: crash on input:\n\"");
  WriteEscaped(g_input, g_input_size);
  WriteText(STDERR_FILENO, "\"\n");
  if (g_crash_path[0] != '\0') {
    const int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      WriteAll(fd, reinterpret_cast<const char*>(g_input), g_input_size);
      close(fd);
      WriteText(STDERR_FILENO, "fuzz: input written to ");
      WriteText(STDERR_FILENO, g_crash_path);
      WriteText(STDERR_FILENO,
                "; fix the parser, then add the file to the target's corpus "
                "(tools/fuzz/README.md)\n");
    }
  }
  signal(signal_number, SIG_DFL);
  raise(signal_number == SIGALRM ? SIGABRT : signal_number);
}

void InstallCrashHandlers() {
  if (const char* outputs = getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    snprintf(g_crash_path, sizeof(g_crash_path), "%s/crash-input", outputs);
  }
  for (int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM}) {
    signal(signal_number, OnCrash);
  }
}

// Runs one input from a buffer of exactly its size, as libFuzzer does, so
// that a read past the end is past an allocation.
void RunOne(const std::string& input) {
  std::unique_ptr<uint8_t[]> copy(new uint8_t[input.size()]);
  std::copy(input.begin(), input.end(), copy.get());
  g_input = copy.get();
  g_input_size = input.size();
  alarm(kTimeoutSeconds);
  LLVMFuzzerTestOneInput(copy.get(), input.size());
  alarm(0);
  g_input = nullptr;
  g_input_size = 0;
}

bool ReadFile(const std::filesystem::path& path, std::string& contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  contents.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool Flag(const std::string& arg, const char* name, std::string& value) {
  const std::string prefix = std::string("--") + name + "=";
  if (arg.compare(0, prefix.size(), prefix) != 0) return false;
  value = arg.substr(prefix.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t runs = 10000, seed = 1;
  size_t max_len = 16384;
  std::vector<std::string> dictionary;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string value;
    if (Flag(arg, "runs", value)) {
      runs = std::strtoull(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "seed", value)) {
      seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "max_len", value)) {
      max_len = std::strtoull(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "dict", value)) {
      std::string text;
      if (!ReadFile(value, text)) {
        fprintf(stderr, "fuzz: cannot read the dictionary %s\n", value.c_str());
        return 2;
      }
      dictionary = ferry::fuzz::ParseDictionary(text);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      fprintf(stderr, "fuzz: %s is neither a flag nor a corpus directory\n", arg.c_str());
      return 2;
    }
  }
  // Directory order differs between file systems; the mutations must not.
  std::sort(files.begin(), files.end());
  std::vector<std::string> corpus;
  for (const auto& file : files) {
    std::string contents;
    if (!ReadFile(file, contents)) {
      fprintf(stderr, "fuzz: cannot read the corpus file %s\n", file.c_str());
      return 2;
    }
    corpus.push_back(std::move(contents));
  }
  if (corpus.empty()) {
    fprintf(stderr, "fuzz: the corpus is empty; give the target seed inputs\n");
    return 2;
  }

  InstallCrashHandlers();
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& input : corpus) RunOne(input);
  ferry::fuzz::Mutator mutator(seed, corpus, std::move(dictionary), max_len);
  for (uint64_t i = 0; i < runs; ++i) RunOne(mutator.Next());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  printf("fuzz: %zu corpus inputs replayed, %llu mutated inputs run (seed %llu) "
         "in %.1f s, no crash\n",
         corpus.size(), static_cast<unsigned long long>(runs),
         static_cast<unsigned long long>(seed), seconds);
  return 0;
}
