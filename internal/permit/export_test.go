package permit

// SimplePDF lets the black-box tests upload a well-formed PDF.
var SimplePDF = TextPDF
