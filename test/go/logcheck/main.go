// Command logcheck is an independent check of the untp-credits transparency log core: it recomputes
// tree hashes, inclusion and consistency proofs and hash tiles with golang.org/x/mod/sumdb/tlog,
// opens the signed checkpoints with golang.org/x/mod/sumdb/note, reads our tile directory through
// tlog's authenticating TileHashReader, and signs a note and a tlog-cosignature v1 for the
// TypeScript side to verify. It reads a fixture (JSON) and a tile directory, and prints a JSON
// report; it exits 1 when anything disagrees.
//
// Built offline against Debian's golang-golang-x-mod-dev (GOPATH=/usr/share/gocode, GO111MODULE=off).
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type proofCase struct {
	Index int64    `json:"index"`
	Old   int64    `json:"old"`
	Size  int64    `json:"size"`
	Proof []string `json:"proof"`
}

type fixture struct {
	Entries     []string          `json:"entries"`
	TreeHashes  map[string]string `json:"treeHashes"`
	Inclusion   []proofCase       `json:"inclusion"`
	Consistency []proofCase       `json:"consistency"`
	TileSize    int64             `json:"tileSize"`
	TileDir     string            `json:"tileDir"`
	Checkpoints []struct {
		Vkey string `json:"vkey"`
		Note string `json:"note"`
	} `json:"checkpoints"`
	Sign struct {
		SeedHex string `json:"seedHex"`
		Name    string `json:"name"`
		Text    string `json:"text"`
	} `json:"sign"`
	Cosign struct {
		SeedHex    string `json:"seedHex"`
		Name       string `json:"name"`
		Timestamp  uint64 `json:"timestamp"`
		Checkpoint string `json:"checkpoint"`
	} `json:"cosign"`
}

type report struct {
	Checked        map[string]int `json:"checked"`
	Failures       []string       `json:"failures"`
	GoNote         string         `json:"goNote"`
	GoVkey         string         `json:"goVkey"`
	CosignLine     string         `json:"cosignatureLine"`
	CosignVkey     string         `json:"cosignatureVkey"`
	GoInclusion    proofCase      `json:"goInclusion"`
	GoTreeHashLast string         `json:"goTreeHashLast"`
}

var rep = report{Checked: map[string]int{}}

func fail(format string, args ...interface{}) {
	rep.Failures = append(rep.Failures, fmt.Sprintf(format, args...))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "logcheck:", err)
		os.Exit(2)
	}
}

func b64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	must(err)
	return b
}

func hashes(list []string) []tlog.Hash {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		copy(out[i][:], b64(s))
	}
	return out
}

func encode(list []tlog.Hash) []string {
	out := make([]string, len(list))
	for i, h := range list {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

// dirTiles reads C2SP tiles (tile/<L>/<N>[.p/<W>]) from a directory; x/mod names them tile/8/<L>/….
type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return 8 }

func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(filepath.Join(d.dir, c2spPath(t)))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (d dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func c2spPath(t tlog.Tile) string {
	return strings.Replace(t.Path(), "tile/8/", "tile/", 1)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: logcheck FIXTURE.json")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	must(err)
	var fx fixture
	must(json.Unmarshal(raw, &fx))

	// Every stored hash of the tree, from the records, as a go.sum database server keeps them.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	entries := make([][]byte, len(fx.Entries))
	for i, e := range fx.Entries {
		entries[i] = b64(e)
		add, err := tlog.StoredHashes(int64(i), entries[i], reader)
		must(err)
		stored = append(stored, add...)
	}

	treeHash := func(n int64) tlog.Hash {
		h, err := tlog.TreeHash(n, reader)
		must(err)
		return h
	}
	for sizeText, want := range fx.TreeHashes {
		n, err := strconv.ParseInt(sizeText, 10, 64)
		must(err)
		if got := treeHash(n); base64.StdEncoding.EncodeToString(got[:]) != want {
			fail("tree hash at size %d: go %s, ours %s", n, got, want)
		}
		rep.Checked["treeHash"]++
	}

	for _, c := range fx.Inclusion {
		ours := tlog.RecordProof(hashes(c.Proof))
		theirs, err := tlog.ProveRecord(c.Size, c.Index, reader)
		must(err)
		if strings.Join(encode(theirs), ",") != strings.Join(c.Proof, ",") {
			fail("inclusion proof of %d in %d differs", c.Index, c.Size)
		}
		if err := tlog.CheckRecord(ours, c.Size, treeHash(c.Size), c.Index, tlog.RecordHash(entries[c.Index])); err != nil {
			fail("our inclusion proof of %d in %d does not check: %v", c.Index, c.Size, err)
		}
		rep.Checked["inclusion"]++
	}

	for _, c := range fx.Consistency {
		ours := tlog.TreeProof(hashes(c.Proof))
		theirs, err := tlog.ProveTree(c.Size, c.Old, reader)
		must(err)
		if strings.Join(encode(theirs), ",") != strings.Join(c.Proof, ",") {
			fail("consistency proof %d → %d differs", c.Old, c.Size)
		}
		if err := tlog.CheckTree(ours, c.Size, treeHash(c.Size), c.Old, treeHash(c.Old)); err != nil {
			fail("our consistency proof %d → %d does not check: %v", c.Old, c.Size, err)
		}
		rep.Checked["consistency"]++
	}

	// Our tile directory: every hash tile equals x/mod's tile data; every entry bundle holds the entries.
	must(filepath.Walk(filepath.Join(fx.TileDir, "tile"), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(fx.TileDir, path)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "tile/entries/") {
			t, err := tlog.ParseTilePath(strings.Replace(rel, "tile/entries/", "tile/8/0/", 1))
			if err != nil {
				fail("entry bundle path %s: %v", rel, err)
				return nil
			}
			for i := 0; i < t.W; i++ {
				if len(data) < 2 {
					fail("bundle %s ends early", rel)
					return nil
				}
				n := int(binary.BigEndian.Uint16(data))
				if len(data) < 2+n || !bytes.Equal(data[2:2+n], entries[t.N*256+int64(i)]) {
					fail("bundle %s entry %d differs", rel, i)
					return nil
				}
				data = data[2+n:]
			}
			if len(data) != 0 {
				fail("bundle %s has trailing bytes", rel)
			}
			rep.Checked["entryBundle"]++
			return nil
		}
		t, err := tlog.ParseTilePath(strings.Replace(rel, "tile/", "tile/8/", 1))
		if err != nil {
			fail("tile path %s: %v", rel, err)
			return nil
		}
		if c2spPath(t) != rel {
			fail("tile path %s is spelled %s by x/mod", rel, c2spPath(t))
		}
		want, err := tlog.ReadTileData(t, reader)
		must(err)
		if !bytes.Equal(want, data) {
			fail("hash tile %s differs", rel)
		}
		rep.Checked["hashTile"]++
		return nil
	}))

	// Proofs through x/mod's TileHashReader over our directory (it authenticates every tile it reads).
	tree := tlog.Tree{N: fx.TileSize, Hash: treeHash(fx.TileSize)}
	tiled := tlog.TileHashReader(tree, dirTiles{fx.TileDir})
	for _, index := range []int64{0, fx.TileSize / 3, fx.TileSize - 1} {
		proof, err := tlog.ProveRecord(fx.TileSize, index, tiled)
		if err != nil {
			fail("proving %d from our tiles: %v", index, err)
			continue
		}
		if err := tlog.CheckRecord(proof, fx.TileSize, tree.Hash, index, tlog.RecordHash(entries[index])); err != nil {
			fail("proof of %d from our tiles does not check: %v", index, err)
		}
		rep.Checked["tileProof"]++
	}
	if h, err := tlog.TreeHash(fx.TileSize, tiled); err != nil || h != tree.Hash {
		fail("tree hash from our tiles: %v", err)
	}
	last := treeHash(int64(len(entries)))
	rep.GoTreeHashLast = base64.StdEncoding.EncodeToString(last[:])
	goProof, err := tlog.ProveRecord(int64(len(entries)), int64(len(entries))/2, reader)
	must(err)
	rep.GoInclusion = proofCase{Index: int64(len(entries)) / 2, Size: int64(len(entries)), Proof: encode(goProof)}

	// Our signed checkpoints open with x/mod's note verifier, and their bodies match the tree.
	for _, c := range fx.Checkpoints {
		v, err := note.NewVerifier(c.Vkey)
		if err != nil {
			fail("vkey %s: %v", c.Vkey, err)
			continue
		}
		n, err := note.Open([]byte(c.Note), note.VerifierList(v))
		if err != nil {
			fail("checkpoint does not open: %v", err)
			continue
		}
		lines := strings.Split(n.Text, "\n")
		size, err := strconv.ParseInt(lines[1], 10, 64)
		if len(lines) < 4 || lines[0] != v.Name() || err != nil {
			fail("checkpoint body %q", n.Text)
			continue
		}
		if h := treeHash(size); base64.StdEncoding.EncodeToString(h[:]) != lines[2] {
			fail("checkpoint of size %d has root %s, go computes %s", size, lines[2], h)
		}
		rep.Checked["checkpoint"]++
	}

	// A note signed here, for the TypeScript side to open.
	seed, err := hex.DecodeString(fx.Sign.SeedHex)
	must(err)
	priv := ed25519.NewKeyFromSeed(seed)
	vkey, err := note.NewEd25519VerifierKey(fx.Sign.Name, priv.Public().(ed25519.PublicKey))
	must(err)
	v, err := note.NewVerifier(vkey)
	must(err)
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", fx.Sign.Name, v.KeyHash(), base64.StdEncoding.EncodeToString(append([]byte{1}, seed...)))
	signer, err := note.NewSigner(skey)
	must(err)
	signed, err := note.Sign(&note.Note{Text: fx.Sign.Text}, signer)
	must(err)
	rep.GoNote, rep.GoVkey = string(signed), vkey

	// tlog-cosignature v1, straight from the C2SP text with crypto/ed25519.
	cseed, err := hex.DecodeString(fx.Cosign.SeedHex)
	must(err)
	cpriv := ed25519.NewKeyFromSeed(cseed)
	cpub := cpriv.Public().(ed25519.PublicKey)
	id := sha256.Sum256(append(append([]byte(fx.Cosign.Name), '\n', 0x04), cpub...))
	msg := fmt.Sprintf("cosignature/v1\ntime %d\n%s", fx.Cosign.Timestamp, fx.Cosign.Checkpoint)
	sig := make([]byte, 0, 4+8+64)
	sig = append(sig, id[:4]...)
	sig = binary.BigEndian.AppendUint64(sig, fx.Cosign.Timestamp)
	sig = append(sig, ed25519.Sign(cpriv, []byte(msg))...)
	rep.CosignLine = fmt.Sprintf("— %s %s\n", fx.Cosign.Name, base64.StdEncoding.EncodeToString(sig))
	rep.CosignVkey = fmt.Sprintf("%s+%s+%s", fx.Cosign.Name, hex.EncodeToString(id[:4]), base64.StdEncoding.EncodeToString(append([]byte{4}, cpub...)))

	out, err := json.MarshalIndent(rep, "", "  ")
	must(err)
	fmt.Println(string(out))
	if len(rep.Failures) > 0 {
		os.Exit(1)
	}
}
